import type { Compliance, WindowPoint } from './run-windows.ts';
import type { Sla } from './sla-catalog.ts';
import type { SlaStats } from './run-stats.ts';

export interface SlaReport {
  sla: Sla;
  stats: SlaStats;
  /** Whole run; undefined when the run has no samples of this metric. */
  held: boolean | undefined;
  windows: WindowPoint[];
  compliance: Compliance;
}

export interface DiffRow {
  key: string;
  title: string;
  /** 'p95 ms' or 'rate'. */
  measure: string;
  baseline?: number;
  current?: number;
  /** current − baseline. */
  delta?: number;
  /** Relative change in percent (latency only). */
  deltaPct?: number;
  regressed: boolean;
}

export interface BaselineDiff {
  testid: string;
  rows: DiffRow[];
  regressions: number;
}

export interface Report {
  testid: string;
  generatedAt: string;
  influx: { url: string; database: string };
  run: { start: string; end: string; durationS: number; points: number; scenarios: string[] };
  windowMs: number;
  verdict: 'pass' | 'fail' | 'no data';
  slas: SlaReport[];
  baseline?: BaselineDiff;
  notes: string[];
}

export const methodNotes = [
  'Whole-run p95/p99 interpolate between neighbouring ranks exactly as k6 does; InfluxDB returns the two ranks, no raw points leave it.',
  'Per-window p95/p99 are InfluxQL PERCENTILE (nearest rank), so they can differ slightly from an interpolated value.',
  'A window is judged only if it holds samples of that SLA\'s metric; windows are consecutive, aligned to the first sample.',
];

export function verdictOf(slas: SlaReport[]): Report['verdict'] {
  if (slas.some((entry) => entry.held === false)) return 'fail';
  return slas.some((entry) => entry.held === true) ? 'pass' : 'no data';
}
