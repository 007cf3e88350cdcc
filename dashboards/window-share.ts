import { SLA_CATALOG } from '../lib/sla-catalog.ts';
import { planFilter, runFilter } from './filters.ts';
import type { Sla } from '../cli/report/sla-catalog.ts';

/**
 * Share of 1-minute windows within SLA, as one InfluxQL query (the report computes the same with GROUP BY time(1m)).
 * InfluxQL cannot compare in a SELECT, so a window's miss is computed arithmetically:
 * latency: miss = CEIL(FLOOR(p95/T) / (FLOOR(p95/T) + 1)) is 0 when p95 < T and 1 otherwise;
 * rate:    miss = CEIL(FLOOR((1−r)/(1−B+ε)) / (FLOOR((1−r)/(1−B+ε)) + 1)) is 0 when r ≥ B and 1 otherwise; ε (1e-9)
 *          keeps r = B a pass and lets an exact SLA (B = 1) divide: any r below 1 is then a miss.
 */
export function windowShareQuery(sla: Sla, window = '1m'): string {
  const filter = SLA_CATALOG[sla.key].byPlan ? planFilter : runFilter;
  const inner = sla.kind === 'latency'
    ? `SELECT percentile("value", 95) AS "x" FROM "${sla.metric}" WHERE ${filter} AND $timeFilter GROUP BY time(${window})`
    : `SELECT mean("value") AS "x" FROM "${sla.metric}" WHERE ${filter} AND $timeFilter GROUP BY time(${window})`;
  const ratio = sla.kind === 'latency' ? `"x" / ${sla.p95BelowMs}` : `(1 - "x") / ${(1 - sla.minRate + 1e-9).toFixed(12)}`;
  const over = `FLOOR(${ratio})`;
  return `SELECT 1 - mean("miss") AS "share" FROM (SELECT CEIL(${over} / (${over} + 1)) AS "miss" FROM (${inner}))`;
}
