import type { MetricType, ValueType } from '../metrics/types.ts';

/** One metric (or submetric) in handleSummary's `data.metrics`. */
export interface SummaryMetricData {
  type: MetricType;
  contains: ValueType;
  /** counter {count, rate}, gauge {value, min, max}, rate {rate, passes, fails}, trend: the summaryTrendStats keys. */
  values: Record<string, number>;
  /** By expression as the script wrote it; only for metrics with thresholds. */
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryCheck {
  name: string;
  /** The group's path, `::`, the check's name: `::login::status is 200`. */
  path: string;
  /** md5 of the path, in hex. */
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  /** `` for the root group, `::outer::inner` below it. */
  path: string;
  /** md5 of the path, in hex. */
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

/** handleSummary's `data`, as k6 documents it. */
export interface SummaryData {
  root_group: SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetricData>;
  /** What setup() returned, as JSON gives it back; undefined without setup. */
  setup_data: unknown;
  /** What only the default text summary needs; a symbol key, so JSON.stringify and structured clones skip it. */
  [SUMMARY_DETAILS]?: SummaryDetails;
}

export const SUMMARY_DETAILS: unique symbol = Symbol('summary details');

export interface CheckCount {
  name: string;
  passes: number;
  fails: number;
}

/** The checks of one part of the test: the totals of its `checks` samples and each check by name, first seen first. */
export interface ChecksReport {
  passes: number;
  fails: number;
  list: CheckCount[];
}

/** The results of one group or scenario, for `--summary-mode full`. */
export interface GroupReport {
  checks: ChecksReport | undefined;
  metrics: Record<string, SummaryMetricData>;
  /** Its groups by name, in the order they were first seen. */
  groups: Record<string, GroupReport>;
}

export interface SummaryDetails {
  /** Every check by name, merged across groups, first seen first (k6's TOTAL RESULTS list). */
  rootChecks: CheckCount[] | undefined;
  /** Groups of samples outside named scenarios, by name. */
  groups: Record<string, GroupReport>;
  /** Scenarios other than `default`, by name. */
  scenarios: Record<string, GroupReport>;
  /** The value each threshold compared, by metric name, then by expression. */
  thresholdValues: Record<string, Record<string, number | undefined>>;
}
