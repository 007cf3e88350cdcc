import type { TestOptions, ThresholdSource } from '../options/test-options.ts';
import { MetricKeyError, parseMetricKey } from './metric-key.ts';
import type { Metric, MetricsRegistry, Submetric } from './registry.ts';
import { AGGREGATIONS_BY_TYPE, compare, parseThresholdExpression, ThresholdError, type ThresholdExpression } from './threshold-expression.ts';
import { thresholdValue } from './threshold-value.ts';

export { ThresholdError } from './threshold-expression.ts';

export interface ThresholdResult {
  /** The key as the script wrote it in options.thresholds. */
  key: string;
  /** The metric or submetric it applies to, as the registry and the summary name it. */
  metricName: string;
  /** The expression as the script wrote it: the key of `data.metrics[name].thresholds`. */
  expression: string;
  ok: boolean;
  /** The aggregate compared; undefined for a Rate without samples (the threshold passes). */
  value: number | undefined;
  abortOnFail: boolean;
}

interface Threshold {
  key: string;
  target: Metric | Submetric;
  source: ThresholdSource;
  expression: ThresholdExpression;
  lastOk: boolean;
}

/**
 * The script's thresholds, validated against the registry. Build it after VU init, once the script's custom metrics
 * are defined: a threshold on a metric that does not exist is an error, as in k6. Building it creates the
 * submetrics the keys name and marks them (and their parents) observed, so that the summary shows them.
 */
export class Thresholds {
  /** k6's warnings for thresholds that cannot work (submetrics on the non-indexable `vu` and `iter` tags). */
  readonly warnings: string[] = [];
  private readonly thresholds: Threshold[] = [];

  constructor(sources: TestOptions['thresholds'], registry: MetricsRegistry) {
    for (const [key, list] of Object.entries(sources)) {
      const expressions = list.map((source) => parseThresholdExpression(source.threshold));
      const target = this.resolveTarget(key, registry);
      const supported = AGGREGATIONS_BY_TYPE[target.type];
      for (const expression of expressions) {
        if (supported.includes(expression.method)) continue;
        throw new ThresholdError(
          `invalid threshold "${expression.source}" applied on metric ${key}; reason: unsupported aggregation method ${expression.method} on metric of type ${target.type}. supported aggregation methods for this metric are: ${supported.join(', ')}`,
        );
      }
      target.observed = true;
      if ('parent' in target) target.parent.observed = true;
      list.forEach((source, index) => this.thresholds.push({ key, target, source, expression: expressions[index]!, lastOk: true }));
    }
  }

  /** Whether the options define any threshold. */
  get isEmpty(): boolean {
    return this.thresholds.length === 0;
  }

  /** Every threshold against the metrics now, as k6 does at the end of the test (empty metrics included). */
  evaluate(testRunDurationMs: number): ThresholdResult[] {
    return this.thresholds.map((threshold) => this.run(threshold, testRunDurationMs));
  }

  /**
   * The check made while the test runs: metrics without samples are skipped; returns the first failing threshold
   * with abortOnFail whose delayAbortEval is over, if any.
   */
  abortDue(testRunDurationMs: number): ThresholdResult | undefined {
    let due: ThresholdResult | undefined;
    for (const threshold of this.thresholds) {
      if (threshold.target.sink.isEmpty) continue;
      const result = this.run(threshold, testRunDurationMs);
      const delayOver = threshold.source.delayAbortEvalMs < testRunDurationMs;
      if (!due && !result.ok && threshold.source.abortOnFail && delayOver) due = result;
    }
    return due;
  }

  /** Whether a threshold failed at its last evaluation. */
  get anyFailed(): boolean {
    return this.thresholds.some((threshold) => !threshold.lastOk);
  }

  private run(threshold: Threshold, testRunDurationMs: number): ThresholdResult {
    const { expression } = threshold;
    const value = thresholdValue(threshold.target.sink, expression, testRunDurationMs);
    const ok = value === undefined || compare(value, expression.operator, expression.value);
    threshold.lastOk = ok;
    return {
      key: threshold.key,
      metricName: threshold.target.name,
      expression: expression.source,
      ok,
      value,
      abortOnFail: threshold.source.abortOnFail,
    };
  }

  private resolveTarget(key: string, registry: MetricsRegistry): Metric | Submetric {
    let parsed;
    try {
      parsed = parseMetricKey(key);
    } catch (error) {
      if (error instanceof MetricKeyError) throw new ThresholdError(`unable to validate threshold expressions; reason: ${error.message}`);
      throw error;
    }
    const metric = registry.get(parsed.metricName);
    if (!metric) throw new ThresholdError(`invalid threshold defined on ${key}; reason: no metric name "${key}" found`);
    if (!parsed.submetric) return metric;
    for (const tag of ['vu', 'iter']) {
      if (tag in parsed.submetric.tags) {
        this.warnings.push(`The high-cardinality '${tag}' metric tag was made non-indexable in k6 v0.41.0, so thresholds like '${key}' that are based on it won't work correctly.`);
      }
    }
    return registry.submetric(key);
  }
}
