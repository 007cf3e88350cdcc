/** k6's four metric types, with the names k6 prints and writes (`--out json`, handleSummary). */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** What a metric's values are: k6's `contains`. Time values are milliseconds; data values are bytes. */
export type ValueType = 'default' | 'time' | 'data';

/** A sample's tags. Values are strings, as k6 keeps them. */
export type TagSet = Readonly<Record<string, string>>;

export interface MetricDefinition {
  name: string;
  type: MetricType;
  contains: ValueType;
}

/**
 * One measurement, as the main thread sees it after aggregation across workers.
 * `time` is milliseconds since the Unix epoch, with sub-millisecond precision.
 */
export interface Sample {
  metric: MetricDefinition;
  tags: TagSet;
  value: number;
  time: number;
}

/** k6's metric name rule: letters, digits and underscores, starting with a letter or underscore, at most 128. */
export const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
