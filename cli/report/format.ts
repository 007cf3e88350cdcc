import type { SlaReport } from './report-model.ts';

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

export const formatRate = (rate: number | undefined): string => (rate === undefined ? '–' : `${(rate * 100).toFixed(2)} %`);

export const formatShare = (share: number | undefined): string => (share === undefined ? '–' : `${(share * 100).toFixed(1)} %`);

export const verdictWord = (held: boolean | undefined): string => (held === undefined ? 'no data' : held ? 'PASS' : 'FAIL');

export function thresholdText(entry: SlaReport): string {
  return entry.sla.kind === 'latency' ? `p95 < ${formatMs(entry.sla.p95BelowMs)}` : `rate > ${formatRate(entry.sla.rateAbove)}`;
}

/** The cells every rendering of the SLA table shares: SLA, metric, threshold, result columns, windows, verdict. */
export function slaRow(entry: SlaReport): string[] {
  const { stats } = entry;
  const observed = stats.kind === 'latency'
    ? [formatMs(stats.p95), formatMs(stats.p99), formatMs(stats.avg)]
    : [formatRate(stats.rate), '', ''];
  const windows = entry.compliance.windows > 0 ? `${formatShare(entry.compliance.share)} of ${entry.compliance.windows}` : '–';
  return [entry.sla.title, entry.sla.metric, thresholdText(entry), ...observed, String(stats.count), windows, verdictWord(entry.held)];
}

export const slaHeader = ['SLA', 'metric', 'threshold', 'p95 / rate', 'p99', 'avg', 'samples', 'windows within SLA', 'verdict'];

export function diffCells(value: number | undefined, measure: string): string {
  return measure === 'rate' ? formatRate(value) : formatMs(value);
}
