import { planFilter } from './filters.ts';
import type { Sla } from '../cli/report/sla-catalog.ts';

/**
 * Share of 1-minute windows within SLA, as one InfluxQL query (the report computes the same with GROUP BY time(1m)).
 * InfluxQL cannot compare in a SELECT, so a window's miss is computed arithmetically:
 * latency: miss = CEIL(FLOOR(p95/T) / (FLOOR(p95/T) + 1)) is 0 when p95 < T and 1 otherwise;
 * rate:    miss = CEIL(FLOOR((1−r)/(1−B)) / (FLOOR((1−r)/(1−B)) + 1)) is 0 when r > B and 1 otherwise.
 */
export function windowShareQuery(sla: Sla, window = '1m'): string {
  const inner = sla.kind === 'latency'
    ? `SELECT percentile("value", 95) AS "x" FROM "${sla.metric}" WHERE ${planFilter} AND $timeFilter GROUP BY time(${window})`
    : `SELECT mean("value") AS "x" FROM "${sla.metric}" WHERE ${planFilter} AND $timeFilter GROUP BY time(${window})`;
  const ratio = sla.kind === 'latency' ? `"x" / ${sla.p95BelowMs}` : `(1 - "x") / ${+(1 - sla.rateAbove).toFixed(6)}`;
  const over = `FLOOR(${ratio})`;
  return `SELECT 1 - mean("miss") AS "share" FROM (SELECT CEIL(${over} / (${over} + 1)) AS "miss" FROM (${inner}))`;
}
