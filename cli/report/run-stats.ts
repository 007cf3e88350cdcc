import { ident, literal, numberOrUndefined, queryInflux, rows, type InfluxTarget } from './influx-client.ts';
import { influxPercentileSelectingRank, interpolate, k6Ranks } from './percentile.ts';
import { testidFilter } from './run-range.ts';
import { rowKey, slaMet, type Sla } from './sla-catalog.ts';

export interface LatencyStats {
  kind: 'latency';
  count: number;
  avg?: number;
  max?: number;
  /** Interpolated like k6's summary. */
  p95?: number;
  p99?: number;
  /** InfluxQL's own nearest-rank p95, shown so the gap is visible, never used for verdicts. */
  p95NearestRank?: number;
}

export interface RateStats {
  kind: 'rate';
  count: number;
  passes: number;
  rate?: number;
}

export type SlaStats = LatencyStats | RateStats;

const single = (result: { series: { columns: string[]; values: unknown[][] }[] } | undefined): Record<string, unknown> => {
  const series = result?.series[0];
  return series ? (rows({ name: '', ...series })[0] ?? {}) : {};
};

/** The WHERE clause of a row: the run, and one plan's samples for a plan's row. */
export const rowWhere = (testid: string, sla: Sla): string =>
  `WHERE ${testidFilter(testid)}${sla.kind === 'latency' && sla.plan ? ` AND ${ident('plan')} = ${literal(sla.plan)}` : ''}`;

/** Whole-run statistics per row (rowKey), each computed inside InfluxDB; two round trips for all rows together. */
export async function wholeRunStats(target: InfluxTarget, testid: string, slas: Sla[]): Promise<Map<string, SlaStats>> {
  const where = (sla: Sla): string => rowWhere(testid, sla);
  const first = await queryInflux(target, slas.map((sla) => sla.kind === 'latency'
    ? `SELECT COUNT("value") AS n, MEAN("value") AS avg, MAX("value") AS max, PERCENTILE("value", 95) AS p95n FROM ${ident(sla.metric)} ${where(sla)}`
    : `SELECT COUNT("value") AS n, SUM("value") AS passes FROM ${ident(sla.metric)} ${where(sla)}`));
  const stats = new Map<string, SlaStats>();
  const rankQueries: { sla: Sla; n: number; statement: string }[] = [];
  slas.forEach((sla, index) => {
    const row = single(first[index]);
    const n = numberOrUndefined(row.n) ?? 0;
    if (sla.kind === 'rate') {
      const passes = numberOrUndefined(row.passes) ?? 0;
      stats.set(rowKey(sla), { kind: 'rate', count: n, passes, rate: n > 0 ? passes / n : undefined });
      return;
    }
    stats.set(rowKey(sla), { kind: 'latency', count: n, avg: numberOrUndefined(row.avg), max: numberOrUndefined(row.max), p95NearestRank: numberOrUndefined(row.p95n) });
    if (n === 0) return;
    const selects = ([['p95', 0.95], ['p99', 0.99]] as const).flatMap(([name, q]) => {
      const ranks = k6Ranks(q, n);
      return [
        `PERCENTILE("value", ${influxPercentileSelectingRank(ranks.lower, n)}) AS ${name}_lo`,
        `PERCENTILE("value", ${influxPercentileSelectingRank(ranks.upper, n)}) AS ${name}_hi`,
      ];
    });
    rankQueries.push({ sla, n, statement: `SELECT ${selects.join(', ')} FROM ${ident(sla.metric)} ${where(sla)}` });
  });
  const ranked = await queryInflux(target, rankQueries.map((entry) => entry.statement));
  rankQueries.forEach(({ sla, n }, index) => {
    const row = single(ranked[index]);
    const latency = stats.get(rowKey(sla)) as LatencyStats;
    for (const [name, q] of [['p95', 0.95], ['p99', 0.99]] as const) {
      const lo = numberOrUndefined(row[`${name}_lo`]);
      const hi = numberOrUndefined(row[`${name}_hi`]);
      if (lo !== undefined && hi !== undefined) latency[name] = interpolate(lo, hi, k6Ranks(q, n).fraction);
    }
  });
  return stats;
}

/** Whether a whole-run statistic meets its SLA; undefined when the run has no samples for it. */
export function slaHeld(sla: Sla, stats: SlaStats | undefined): boolean | undefined {
  if (!stats || stats.count === 0) return undefined;
  const value = stats.kind === 'latency' ? stats.p95 : stats.rate;
  return value === undefined || sla.kind !== stats.kind ? undefined : slaMet(sla, value);
}
