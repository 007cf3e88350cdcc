import { formatMs, formatPerSecond, formatRate, NO_VALUE } from '../../lib/format.ts';
import { rateBoundText } from '../../lib/sla-catalog.ts';
import type { Report, SlaReport } from './report-model.ts';
import { rowTitle } from './sla-catalog.ts';

export { formatMs, formatPerSecond, formatRate };

export const formatShare = (share: number | undefined): string => (share === undefined ? NO_VALUE : `${(share * 100).toFixed(1)}%`);

/** A verdict without samples is "not measured", never a pass. */
export const verdictWord = (held: boolean | undefined): string => (held === undefined ? 'not measured' : held ? 'PASS' : 'FAIL');

export function thresholdText(entry: SlaReport): string {
  if (entry.sla.kind === 'rate') return `rate ${rateBoundText(entry.sla.minRate)}`;
  return `p95 < ${formatMs(entry.sla.p95BelowMs)}${entry.sla.plan ? ' (own)' : ''}`;
}

/** The cells every rendering of the SLA table shares: SLA, metric, threshold, result columns, windows, verdict. */
export function slaRow(entry: SlaReport): string[] {
  const { stats } = entry;
  const observed = stats.kind === 'latency'
    ? [formatMs(stats.p95), formatMs(stats.p99), formatMs(stats.avg)]
    : [formatRate(stats.rate), '', ''];
  const windows = entry.compliance.windows > 0 ? `${formatShare(entry.compliance.share)} of ${entry.compliance.windows}` : NO_VALUE;
  return [rowTitle(entry.sla), entry.sla.metric, thresholdText(entry), ...observed, String(stats.count), windows, verdictWord(entry.held)];
}

export const slaHeader = ['SLA', 'metric', 'threshold', 'p95 / rate', 'p99', 'avg', 'samples', 'windows within SLA', 'verdict'];

export function diffCells(value: number | undefined, measure: string): string {
  return measure === 'rate' ? formatRate(value) : formatMs(value);
}

/** "goodput: 3.20 runs/s (of 3.50 completed/s); lowest 1 min window 2.90 runs/s"; undefined without agent runs. */
export function goodputText(report: Report): string | undefined {
  const goodput = report.goodput;
  if (!goodput) return undefined;
  const lowest = goodput.windows.length > 0 ? Math.min(...goodput.windows.map((w) => w.goodputPerS)) : undefined;
  const windows = lowest === undefined ? '' : `; lowest ${formatMs(report.windowMs)} window ${formatPerSecond(lowest)} runs/s (${goodput.windows.length} windows)`;
  return `goodput: ${formatPerSecond(goodput.perS)} runs/s (of ${formatPerSecond(goodput.completedPerS)} completed/s)${windows}`;
}

/** The rows the run has no sample of: listed as "not measured", never charted. */
export const notMeasured = (report: Report): SlaReport[] => report.slas.filter((entry) => entry.held === undefined);

/** Measured rows whose samples all fall in one window (sign-ups at the start of a run): one dot is no chart; the table has them. */
export const inOneWindow = (report: Report): SlaReport[] => report.slas.filter((entry) => entry.held !== undefined && entry.windows.length <= 1);

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** "agent_errors: 812 (refused 790, ws_close_1006 22)", or "agent_errors: none". */
export function errorsText(report: Report): string {
  const { errors, errorsByKind } = report.availability;
  if (errors === 0) return 'agent_errors: none';
  const kinds = Object.entries(errorsByKind).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([kind, n]) => `${kind} ${n}`);
  return `agent_errors: ${errors} (${kinds.join(', ')})`;
}

/** "backend availability: 76.40% of the run (1 outage window, 9.6 s)". */
export function availabilityText(report: Report): string {
  const { windows, availability } = report.availability;
  const down = windows.reduce((sum, window) => sum + window.durationMs, 0);
  const which = windows.length === 0 ? 'no outage window' : `${windows.length} outage window${windows.length > 1 ? 's' : ''}, ${seconds(down)}`;
  return `backend availability: ${formatRate(availability)} of the run (${which})`;
}

export const outageHeader = ['outage start', 'end', 'duration', 'error kinds'];

export const outageRow = (window: Report['availability']['windows'][number]): string[] =>
  [new Date(window.start).toISOString(), new Date(window.end).toISOString(), seconds(window.durationMs), window.kinds.join(', ')];
