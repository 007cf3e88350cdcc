/**
 * The main thread's metrics: one registry per test run.
 *
 * Flow of a measurement:
 *  1. A VU emits a sample in its worker; the main thread decodes it into a `Sample` whose tag set is interned (equal
 *     tags, same frozen object) and calls `registry.add(sample)`.
 *  2. The sample's value goes into its metric's sink (Counter, Gauge, Rate or Trend, see sinks.ts), and into the sink
 *     of every submetric of that metric whose tags it carries (`http_req_duration{status:200}` takes the samples
 *     tagged status=200). A metric, or submetric, with a sample is `observed`.
 *  3. Submetrics come from threshold keys (thresholds.ts creates them, and marks them and their parents observed so
 *     that they appear in the summary even without samples) and from `http_req_duration{expected_response:true}`
 *     (builtin-metrics.ts). They only see samples added after they exist, so create them before the test starts.
 *  4. `Thresholds` reads the sinks while the test runs (abortOnFail) and once at the end; the end-of-test summary
 *     (engine/summary/summary-data.ts) turns the observed metrics and the threshold results into handleSummary's
 *     `data`, which the text summary renders.
 */
import { parseMetricKey } from './metric-key.ts';
import { createSink, type Sink } from './sinks.ts';
import { METRIC_NAME, type MetricDefinition, type MetricType, type Sample, type TagSet, type ValueType } from './types.ts';

export interface Metric {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: ValueType;
  readonly sink: Sink;
  readonly submetrics: readonly Submetric[];
  observed: boolean;
}

export interface Submetric {
  /** `parent{suffix}`, as k6 names it in the summary. */
  readonly name: string;
  readonly suffix: string;
  readonly tags: TagSet;
  readonly parent: Metric;
  readonly type: MetricType;
  readonly contains: ValueType;
  readonly sink: Sink;
  observed: boolean;
  /** Whether a sample with these tags belongs to this submetric: it carries every tag of the submetric, equal. */
  matches(tags: TagSet): boolean;
}

class RegisteredMetric implements Metric {
  readonly sink: Sink;
  readonly submetrics: RegisteredSubmetric[] = [];
  observed = false;

  constructor(readonly name: string, readonly type: MetricType, readonly contains: ValueType) {
    this.sink = createSink(type);
  }
}

class RegisteredSubmetric implements Submetric {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: ValueType;
  readonly sink: Sink;
  observed = false;
  private readonly tagNames: string[];
  private readonly matched = new WeakMap<TagSet, boolean>();

  constructor(readonly parent: Metric, readonly suffix: string, readonly tags: TagSet) {
    this.name = `${parent.name}{${suffix}}`;
    this.type = parent.type;
    this.contains = parent.contains;
    this.sink = createSink(parent.type);
    this.tagNames = Object.keys(tags);
  }

  matches(tags: TagSet): boolean {
    const cached = this.matched.get(tags);
    if (cached !== undefined) return cached;
    const result = this.tagNames.every((name) => tags[name] === this.tags[name]);
    if (Object.isFrozen(tags)) this.matched.set(tags, result);
    return result;
  }

  hasTags(tags: Record<string, string>): boolean {
    const names = Object.keys(tags);
    return names.length === this.tagNames.length && names.every((name) => this.tags[name] === tags[name]);
  }
}

export class MetricsRegistry {
  private readonly byName = new Map<string, RegisteredMetric>();
  private readonly byDefinition = new WeakMap<MetricDefinition, RegisteredMetric>();

  /** Registers a metric, or returns the one of that name. Throws, as k6 does, for another type or value type. */
  define(def: MetricDefinition): Metric {
    return this.resolve(def);
  }

  get(name: string): Metric | undefined {
    return this.byName.get(name);
  }

  /** Every metric, in the order they were defined. */
  all(): Metric[] {
    return [...this.byName.values()];
  }

  /** The metrics and submetrics with a sample (or a threshold), each metric followed by its submetrics. */
  observed(): Array<Metric | Submetric> {
    const result: Array<Metric | Submetric> = [];
    for (const metric of this.byName.values()) {
      if (metric.observed) result.push(metric);
      for (const submetric of metric.submetrics) if (submetric.observed) result.push(submetric);
    }
    return result;
  }

  add(sample: Sample): void {
    const metric = this.byDefinition.get(sample.metric) ?? this.resolve(sample.metric);
    metric.sink.add(sample.value);
    metric.observed = true;
    for (const submetric of metric.submetrics) {
      if (!submetric.matches(sample.tags)) continue;
      submetric.sink.add(sample.value);
      submetric.observed = true;
    }
  }

  /**
   * The submetric a key such as `http_req_duration{status:200}` names, created on first use. Two keys with the same
   * tags name the same submetric (the first key's spelling is its name). Throws for a malformed key or a metric that
   * does not exist.
   */
  submetric(key: string): Submetric {
    const parsed = parseMetricKey(key);
    if (!parsed.submetric) throw new Error(`'${key}' is not a submetric key: expected metric{tag:value}`);
    const parent = this.byName.get(parsed.metricName);
    if (!parent) throw new Error(`metric '${parsed.metricName}' does not exist in the script`);
    const existing = parent.submetrics.find((submetric) => submetric.hasTags(parsed.submetric!.tags));
    if (existing) return existing;
    const created = new RegisteredSubmetric(parent, parsed.submetric.suffix, Object.freeze({ ...parsed.submetric.tags }));
    parent.submetrics.push(created);
    return created;
  }

  private resolve(def: MetricDefinition): RegisteredMetric {
    let metric = this.byName.get(def.name);
    if (!metric) {
      if (!METRIC_NAME.test(def.name)) {
        throw new Error(`Invalid metric name: '${def.name}'. Metric names should start with a letter or an underscore and only include up to 128 ASCII letters, numbers, or underscores.`);
      }
      metric = new RegisteredMetric(def.name, def.type, def.contains);
      this.byName.set(def.name, metric);
    } else if (metric.type !== def.type) {
      throw new Error(`metric '${def.name}' already exists but with type ${metric.type}, instead of ${def.type}`);
    } else if (metric.contains !== def.contains) {
      throw new Error(`metric '${def.name}' already exists but with a value type ${metric.contains}, instead of ${def.contains}`);
    }
    this.byDefinition.set(def, metric);
    return metric;
  }
}
