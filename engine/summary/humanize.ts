import type { MetricType, ValueType } from '../metrics/types.ts';

/**
 * Values as k6's end-of-test summary prints them: rates as percents truncated to two decimals (`99.99%`), data in
 * SI bytes (`519 kB`), times in the largest fitting unit (`148.21ms`, `1.2s`, `1m2s`, `10.39µs`) or in the
 * summaryTimeUnit, other numbers with at most six decimals and no trailing zeros (`13.122179`).
 */
export function humanizeValue(value: number, metric: { type: MetricType; contains: ValueType }, timeUnit: string): string {
  if (metric.type === 'rate') return (Math.trunc(value * 100 * 100) / 100).toFixed(2) + '%';
  switch (metric.contains) {
    case 'data':
      return humanizeBytes(value);
    case 'time':
      return humanizeDuration(value, timeUnit);
    default:
      return withoutTrailingZeros(value, 6);
  }
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

export function humanizeBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`;
  const exponent = Math.floor(Math.log(bytes) / Math.log(1000));
  const scaled = Math.floor((bytes / Math.pow(1000, exponent)) * 10 + 0.5) / 10;
  return `${scaled.toFixed(scaled < 10 ? 1 : 0)} ${BYTE_UNITS[exponent] ?? ''}`;
}

const TIME_UNITS: Record<string, { unit: string; perMs: number }> = {
  s: { unit: 's', perMs: 0.001 },
  ms: { unit: 'ms', perMs: 1 },
  us: { unit: 'µs', perMs: 1000 },
};

/** A duration given in milliseconds. */
export function humanizeDuration(ms: number, timeUnit: string): string {
  const fixed = TIME_UNITS[timeUnit];
  if (fixed) return (ms * fixed.perMs).toFixed(2) + fixed.unit;
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(ms * 1_000_000)}ns`;
  if (ms < 1) return `${truncated(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${truncated(ms, 2)}ms`;

  // Seconds keep two decimals below a minute, none above.
  let text = `${truncated((ms % 60_000) / 1000, ms > 60_000 ? 0 : 2)}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 1) return text;
  text = `${minutes % 60}m${text}`;
  const hours = Math.trunc(minutes / 60);
  return hours < 1 ? text : `${hours}h${text}`;
}

function withoutTrailingZeros(value: number, decimals: number): string {
  return String(parseFloat(value.toFixed(decimals)));
}

/** Cut (not rounded) to `decimals` places, then trailing zeros dropped. */
function truncated(value: number, decimals: number): string {
  const scale = Math.pow(10, decimals);
  return withoutTrailingZeros(Math.trunc(scale * value) / scale, decimals);
}
