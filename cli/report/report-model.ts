import type { Compliance, WindowPoint } from './run-windows.ts';
import type { Sla } from './sla-catalog.ts';
import type { Goodput } from './run-goodput.ts';
import type { RunAvailability } from './run-outages.ts';
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
  /** The compliance window: --window, or one that cuts the run into 30 to 60 windows (at least 10 s). */
  windowMs: number;
  verdict: 'pass' | 'fail' | 'no data';
  /** Every SLA, each followed by a row per plan with its own bound (sla.plan set). */
  slas: SlaReport[];
  /** Runs per second that met every latency SLA set, whole run and per window; absent when the run ran no agent. */
  goodput?: Goodput;
  /** Errors by kind, outage windows and the backend's availability over the run. */
  availability: RunAvailability;
  baseline?: BaselineDiff;
  notes: string[];
}

export const methodNotes = [
  'Whole-run p95/p99 interpolate between neighbouring ranks exactly as k6 does; InfluxDB returns the two ranks, no raw points leave it.',
  'Per-window p95/p99 are InfluxQL PERCENTILE (nearest rank), so they can differ slightly from an interpolated value.',
  'A window is judged only if it holds samples of that SLA\'s metric; windows are consecutive, aligned to the first sample. Without --window, a window cuts the run into 30 to 60 (at least 10 s each).',
  'A plan with its own bound (--sla agent.enterprise=15s) has a row of its own, judged on that plan\'s samples against that bound.',
  'An outage window is a span of at least 2 s in which the backend answered no request or handshake and the attempts failed with transport errors (refused, reset, timeout, DNS, network, 502/503/504): from the first such error after the last answer to the next answer. Availability is the share of the run outside them.',
  'Goodput counts completed, well-formed runs that met every latency SLA set when they ran (the run\'s bounds, not --sla here), per second.',
];

export function verdictOf(slas: SlaReport[]): Report['verdict'] {
  if (slas.some((entry) => entry.held === false)) return 'fail';
  return slas.some((entry) => entry.held === true) ? 'pass' : 'no data';
}
