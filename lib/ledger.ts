import { onAgentSlaEngine } from './engine.ts';

/** agent-sla/ledger (an engine module): notes every VU adds to and handleSummary reads. */
export interface Ledger {
  add(list: string, note: string): boolean;
  list(list: string): string[];
  count(table: string, key: string): void;
  counts(table: string): Record<string, number>;
}

declare function require(name: string): unknown;

/** The ledger on agent-sla's engine; undefined on a stock k6, which has no such module. */
export const ledger: Ledger | undefined = onAgentSlaEngine ? (require('agent-sla/ledger') as Ledger) : undefined;
