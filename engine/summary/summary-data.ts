import type { MetricsRegistry } from '../metrics/registry.ts';
import { formatValues } from '../metrics/sinks.ts';
import type { ThresholdResult } from '../metrics/thresholds.ts';
import type { TestOptions } from '../options/test-options.ts';
import type { SummaryBreakdown } from './breakdown.ts';
import { buildRootGroup, type CheckTally } from './group-tree.ts';
import { SUMMARY_DETAILS, type SummaryData, type SummaryDetails, type SummaryMetricData } from './summary-types.ts';

export interface SummaryInput {
  registry: MetricsRegistry;
  /** The end-of-test evaluation (Thresholds.evaluate); empty without thresholds. */
  thresholds: readonly ThresholdResult[];
  checks: readonly CheckTally[];
  /** Group paths seen, in the order first seen: `::login`, `::login::inner`. */
  groups: readonly string[];
  options: TestOptions;
  testRunDurationMs: number;
  isStdOutTTY: boolean;
  isStdErrTTY: boolean;
  noColor: boolean;
  /** setup()'s return value after its JSON round trip; leave undefined without setup. */
  setupData?: unknown;
  /** Fed every sample, for the check list and `--summary-mode full`'s groups and scenarios. */
  breakdown?: SummaryBreakdown;
}

/**
 * handleSummary's `data`: every observed metric and submetric with its values (and thresholds), the group tree with
 * its checks, a few options and the run's state. The default text summary renders the same object.
 */
export function buildSummaryData(input: SummaryInput): SummaryData {
  const trendStats = input.options.summaryTrendStats;
  const thresholdsByMetric = new Map<string, ThresholdResult[]>();
  for (const result of input.thresholds) {
    const list = thresholdsByMetric.get(result.metricName) ?? [];
    list.push(result);
    thresholdsByMetric.set(result.metricName, list);
  }

  const metrics: Record<string, SummaryMetricData> = {};
  for (const metric of input.registry.observed()) {
    const entry: SummaryMetricData = {
      type: metric.type,
      contains: metric.contains,
      values: formatValues(metric.sink, trendStats, input.testRunDurationMs),
    };
    const results = thresholdsByMetric.get(metric.name);
    if (results) entry.thresholds = Object.fromEntries(results.map((result) => [result.expression, { ok: result.ok }]));
    metrics[metric.name] = entry;
  }

  const data: SummaryData = {
    root_group: buildRootGroup(input.groups, input.checks),
    options: { summaryTrendStats: [...trendStats], summaryTimeUnit: input.options.summaryTimeUnit, noColor: input.noColor },
    state: { isStdOutTTY: input.isStdOutTTY, isStdErrTTY: input.isStdErrTTY, testRunDurationMs: input.testRunDurationMs },
    metrics,
    setup_data: input.setupData,
  };
  Object.defineProperty(data, SUMMARY_DETAILS, { value: details(input), enumerable: false });
  return data;
}

function details(input: SummaryInput): SummaryDetails {
  const thresholdValues: SummaryDetails['thresholdValues'] = {};
  for (const result of input.thresholds) (thresholdValues[result.metricName] ??= {})[result.expression] = result.value;
  const breakdown = input.breakdown;
  const parts = breakdown?.mode === 'full' ? breakdown.report(input.options.summaryTrendStats, input.testRunDurationMs) : { groups: {}, scenarios: {} };
  return { rootChecks: breakdown?.checkCounts(), ...parts, thresholdValues };
}
