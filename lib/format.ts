/**
 * How a number is shown to a reader, the same in the end-of-test table, sla-summary.md, JUnit,
 * `agent-sla report` and the dashboards' titles. "–" stands for "no value".
 */
export const NO_VALUE = '–';

/** 12.3 ms, 456 ms, 1.23 s, 12.3 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_VALUE;
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

/** A measured rate, 0..1, as 99.50%. */
export const formatRate = (rate: number | null | undefined): string =>
  rate === null || rate === undefined || !Number.isFinite(rate) ? NO_VALUE : `${(rate * 100).toFixed(2)}%`;

/** A budget, 0..1, as short as it is exact: 99%, 99.9%, 100%. */
export const formatPercent = (share: number): string => `${+(share * 100).toFixed(4)}%`;

/** Runs per second, as "3.2 runs/s"; two decimals below 10. */
export function formatPerSecond(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return NO_VALUE;
  return `${perSecond.toFixed(perSecond >= 10 ? 1 : 2)}`;
}
