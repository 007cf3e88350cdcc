import type { SummaryData } from '../summary/summary-types.ts';

/**
 * `--summary-export`: the JSON k6 wrote before handleSummary existed. Each metric's values are flattened into the
 * metric (a Rate's `rate` is its `value`), and each threshold maps to whether it FAILED.
 */
export function legacySummaryExport(data: SummaryData): Record<string, unknown> {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const [name, metric] of Object.entries(data.metrics)) {
    const values: Record<string, unknown> = { ...metric.values };
    if (metric.type === 'rate') {
      values.value = metric.values.rate;
      delete values.rate;
    }
    if (metric.thresholds) values.thresholds = Object.fromEntries(Object.entries(metric.thresholds).map(([expression, { ok }]) => [expression, !ok]));
    metrics[name] = values;
  }
  return { root_group: data.root_group, metrics };
}
