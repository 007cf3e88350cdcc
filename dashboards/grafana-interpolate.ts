/**
 * How Grafana's InfluxDB datasource expands a raw InfluxQL query, so queries can be checked against a real
 * InfluxDB without Grafana: $timeFilter becomes an epoch-ms range, $__interval the panel interval, and a
 * variable inside a regex (`=~ /^$v$/`) becomes its regex-escaped value, `(a|b)` for several values, or the
 * variable's allValue when "All" is selected.
 */

export type VariableValue = { all: true; allValue: string } | { values: string[] };

export interface Interpolation {
  fromMs: number;
  toMs: number;
  /** e.g. '1s', '10s'. */
  interval: string;
  variables: Record<string, VariableValue>;
}

/** Grafana's escape for values substituted into an InfluxQL regex. */
export const regexEscape = (value: string): string => value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

function expand(value: VariableValue): string {
  if ('all' in value) return value.allValue;
  const escaped = value.values.map(regexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

export function interpolate(query: string, context: Interpolation): string {
  let out = query
    .replaceAll('$timeFilter', `time >= ${context.fromMs}ms and time <= ${context.toMs}ms`)
    .replaceAll('$__interval_ms', String(intervalMs(context.interval)))
    .replaceAll('$__interval', context.interval);
  // Longest names first, so $plan never eats the start of a longer variable name.
  for (const name of Object.keys(context.variables).sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`\\$(?:\\{${name}\\}|${name}\\b)`, 'g'), () => expand(context.variables[name]!));
  }
  const leftover = /\$(?!__)(\w+)/.exec(out.replace(/\/\^|\$\//g, ''));
  if (leftover) throw new Error(`unsubstituted variable $${leftover[1]} in: ${out}`);
  return out;
}

function intervalMs(interval: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(interval);
  if (!match) throw new Error(`bad interval ${interval}`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
}

/** Grafana's panel interval: range / max data points, never below the datasource's minimum (1s for k6's push interval). */
export function grafanaInterval(fromMs: number, toMs: number, maxDataPoints = 1000, minMs = 1000): string {
  const raw = Math.max(minMs, (toMs - fromMs) / maxDataPoints);
  const nice = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 300_000, 600_000, 3_600_000].find((step) => step >= raw) ?? 3_600_000;
  return nice >= 60_000 ? `${nice / 60_000}m` : `${nice / 1000}s`;
}
