/** k6/x/ledger (build/k6/ledger, our extension): notes every VU adds to and handleSummary reads. */
export interface Ledger {
  add(list: string, note: string): boolean;
  list(list: string): string[];
  count(table: string, key: string): void;
  counts(table: string): Record<string, number>;
}

declare function require(name: string): unknown;

/**
 * The ledger, when this k6 has it; undefined on a stock k6. k6 fails a test that imports a k6/x
 * module it lacks, so the import is attempted only where our build says it is there (K6_X_LEDGER=1).
 */
export const ledger: Ledger | undefined = __ENV.K6_X_LEDGER === '1' ? (require('k6/x/ledger') as Ledger) : undefined;
