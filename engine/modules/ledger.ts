import type { ModuleDefinition } from '../runtime/vu-context.ts';

/** A list keeps at most this many notes, so that a long soak cannot grow it without end. */
const MAX_NOTES = 10_000;

export interface LedgerSnapshot {
  notes: Record<string, string[]>;
  counts: Record<string, Record<string, number>>;
}

/**
 * agent-sla/ledger: notes and counts every VU adds to and handleSummary reads (k6 gives handleSummary only
 * aggregates, and some findings are lists). Each worker keeps its VUs' entries; the main thread merges the workers'
 * snapshots at the end and hands the whole ledger to the worker that runs handleSummary.
 */
export class Ledger {
  private notes = new Map<string, string[]>();
  private tallies = new Map<string, Map<string, number>>();

  add(list: string, note: string): boolean {
    let notes = this.notes.get(list);
    if (!notes) this.notes.set(list, (notes = []));
    if (notes.length >= MAX_NOTES) return false;
    notes.push(note);
    return true;
  }

  list(list: string): string[] {
    return [...(this.notes.get(list) ?? [])];
  }

  count(table: string, key: string, by = 1): void {
    let tally = this.tallies.get(table);
    if (!tally) this.tallies.set(table, (tally = new Map()));
    tally.set(key, (tally.get(key) ?? 0) + by);
  }

  counts(table: string): Record<string, number> {
    return Object.fromEntries(this.tallies.get(table) ?? []);
  }

  snapshot(): LedgerSnapshot {
    return {
      notes: Object.fromEntries(this.notes),
      counts: Object.fromEntries([...this.tallies].map(([table, tally]) => [table, Object.fromEntries(tally)])),
    };
  }

  merge(snapshot: LedgerSnapshot): void {
    for (const [list, notes] of Object.entries(snapshot.notes)) for (const note of notes) this.add(list, note);
    for (const [table, tally] of Object.entries(snapshot.counts)) for (const [key, n] of Object.entries(tally)) this.count(table, key, n);
  }

  clear(): void {
    this.notes = new Map();
    this.tallies = new Map();
  }
}

/** The ledger of this worker's VUs. */
export const workerLedger = new Ledger();

const members = {
  add: (list: string, note: string): boolean => workerLedger.add(String(list), String(note)),
  list: (list: string): string[] => workerLedger.list(String(list)),
  count: (table: string, key: string): void => workerLedger.count(String(table), String(key)),
  counts: (table: string): Record<string, number> => workerLedger.counts(String(table)),
};
const namespace = Object.freeze({ ...members, default: members });

/** The ledger belongs to the worker, not to a VU: every VU shares one module object. */
export const ledgerModule: ModuleDefinition = {
  name: 'agent-sla/ledger',
  instantiate: () => namespace,
};
