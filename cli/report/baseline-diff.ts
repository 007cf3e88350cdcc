import type { BaselineDiff, DiffRow, SlaReport } from './report-model.ts';
import type { SlaStats } from './run-stats.ts';
import { rowKey, rowTitle } from './sla-catalog.ts';

export interface RegressionTolerance {
  /** A latency p95 more than this many percent above the baseline is a regression. */
  latencyPct: number;
  /** A rate more than this far below the baseline (absolute, 0..1) is a regression. */
  rateDrop: number;
}

export const defaultTolerance: RegressionTolerance = { latencyPct: 10, rateDrop: 0.001 };

const headline = (stats: SlaStats | undefined): number | undefined =>
  stats?.kind === 'latency' ? stats.p95 : stats?.kind === 'rate' ? stats.rate : undefined;

/** Compares each SLA's headline number (p95 or rate) with the baseline run's. */
export function diffAgainstBaseline(testid: string, current: SlaReport[], baseline: Map<string, SlaStats>, tolerance = defaultTolerance): BaselineDiff {
  const rows = current.map(({ sla, stats }): DiffRow => {
    const before = headline(baseline.get(rowKey(sla)));
    const now = headline(stats);
    const row: DiffRow = { key: rowKey(sla), title: rowTitle(sla), measure: sla.kind === 'latency' ? 'p95 ms' : 'rate', baseline: before, current: now, regressed: false };
    if (before === undefined || now === undefined) return row;
    row.delta = now - before;
    if (sla.kind === 'latency') {
      row.deltaPct = before > 0 ? (row.delta / before) * 100 : undefined;
      row.regressed = row.delta > 0 && (row.deltaPct === undefined || row.deltaPct > tolerance.latencyPct);
    } else {
      row.regressed = -row.delta > tolerance.rateDrop;
    }
    return row;
  });
  return { testid, rows, regressions: rows.filter((row) => row.regressed).length };
}
