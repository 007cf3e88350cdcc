import { METRIC_NAME, type MetricType, type TagSet, type ValueType } from '../metrics/types.ts';
import type { MetricRef } from './vu-context.ts';

/**
 * Where the VUs of one worker put what they measure. Metrics and tag sets are sent once, by id; samples refer to
 * them. The worker's implementation batches these to the main thread (engine/runtime/sample-batcher.ts); a test
 * can keep them in memory (RecordingSink).
 */
export interface SampleSink {
  defineMetric(metric: MetricRef): void;
  defineTags(id: number, tags: TagSet): void;
  sample(metricId: number, tagsId: number, value: number, time: number): void;
  check(groupPath: string, name: string, ok: boolean): void;
}

/** The metrics known to one worker, by name. k6 refuses one name with two types. */
export class MetricTable {
  private readonly byName = new Map<string, MetricRef>();

  constructor(private readonly sink: SampleSink) {}

  metric(name: string, type: MetricType, contains: ValueType = 'default'): MetricRef {
    const known = this.byName.get(name);
    if (known) {
      if (known.type !== type) throw new Error(`metric "${name}" already exists as a ${known.type}, not a ${type}`);
      return known;
    }
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name "${name}": use letters, digits and underscores (at most 128), not starting with a digit`);
    const metric: MetricRef = Object.freeze({ id: this.byName.size, name, type, contains });
    this.byName.set(name, metric);
    this.sink.defineMetric(metric);
    return metric;
  }

  get(name: string): MetricRef | undefined {
    return this.byName.get(name);
  }
}

/** Gives each distinct tag set of a worker one id, defined to the sink the first time it is seen. */
export class TagInterner {
  private readonly byKey = new Map<string, number>();
  private readonly byObject = new WeakMap<object, number>();

  constructor(private readonly sink: SampleSink) {}

  /** The id of a tag set. The same object asked again costs one WeakMap lookup. */
  id(tags: TagSet): number {
    const cached = this.byObject.get(tags);
    if (cached !== undefined) return cached;
    const key = keyOf(tags);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.byKey.size;
      this.byKey.set(key, id);
      this.sink.defineTags(id, Object.freeze({ ...tags }));
    }
    if (Object.isFrozen(tags)) this.byObject.set(tags, id);
    return id;
  }
}

function keyOf(tags: TagSet): string {
  const names = Object.keys(tags);
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) key += `${name}\u0000${tags[name]}\u0001`;
  return key;
}

export interface RecordedSample {
  metric: MetricRef;
  tags: TagSet;
  value: number;
  time: number;
}

/** A sink that keeps everything in memory, in order: for tests of modules, and for the summary VU. */
export class RecordingSink implements SampleSink {
  readonly metrics = new Map<number, MetricRef>();
  readonly tagSets = new Map<number, TagSet>();
  readonly samples: RecordedSample[] = [];
  readonly checks: Array<{ groupPath: string; name: string; ok: boolean }> = [];

  defineMetric(metric: MetricRef): void {
    this.metrics.set(metric.id, metric);
  }

  defineTags(id: number, tags: TagSet): void {
    this.tagSets.set(id, tags);
  }

  sample(metricId: number, tagsId: number, value: number, time: number): void {
    this.samples.push({ metric: this.metrics.get(metricId)!, tags: this.tagSets.get(tagsId)!, value, time });
  }

  check(groupPath: string, name: string, ok: boolean): void {
    this.checks.push({ groupPath, name, ok });
  }

  /** The samples of one metric, in order. */
  of(name: string): RecordedSample[] {
    return this.samples.filter((sample) => sample.metric.name === name);
  }
}
