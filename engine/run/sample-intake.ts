import type { MetricsRegistry } from '../metrics/registry.ts';
import type { MetricDefinition, Sample, TagSet } from '../metrics/types.ts';
import type { SampleBatch } from '../runtime/messages.ts';

/** A check's outcome over the whole test, by group path and name: the summary's checks. */
export interface CheckTally {
  groupPath: string;
  name: string;
  passes: number;
  fails: number;
}

type SampleListener = (samples: readonly Sample[]) => void;

/**
 * Where the workers' batches arrive in the main thread. Each worker numbers its metrics and tag sets on its own;
 * here they become the registry's metric definitions and tag sets interned across workers (equal tags, the same
 * frozen object), and every sample goes to the registry and to the outputs.
 */
export class SampleIntake {
  private readonly metricsByWorker = new Map<number, Map<number, MetricDefinition>>();
  private readonly tagsByWorker = new Map<number, Map<number, TagSet>>();
  private readonly tagSets = new Map<string, TagSet>();
  private readonly tallies = new Map<string, CheckTally>();
  private readonly groupPaths = new Set<string>();
  private readonly listeners: SampleListener[] = [];

  constructor(private readonly registry: MetricsRegistry) {}

  onSamples(listener: SampleListener): void {
    this.listeners.push(listener);
  }

  /** Samples the main thread makes itself (vus, vus_max, dropped_iterations). */
  addLocal(sample: Sample): void {
    const interned = { ...sample, tags: this.intern(sample.tags) };
    this.registry.add(interned);
    for (const listener of this.listeners) listener([interned]);
  }

  internTags(tags: TagSet): TagSet {
    return this.intern(tags);
  }

  receive(worker: number, batch: SampleBatch): void {
    let metrics = this.metricsByWorker.get(worker);
    if (!metrics) this.metricsByWorker.set(worker, (metrics = new Map()));
    let tags = this.tagsByWorker.get(worker);
    if (!tags) this.tagsByWorker.set(worker, (tags = new Map()));
    for (const ref of batch.metrics) {
      metrics.set(ref.id, this.registry.define({ name: ref.name, type: ref.type, contains: ref.contains }));
    }
    for (const [id, tagSet] of batch.tags) tags.set(id, this.intern(tagSet));
    const values = batch.values;
    const samples: Sample[] = new Array(values.length / 4);
    for (let i = 0, at = 0; at < values.length; i++, at += 4) {
      const metric = metrics.get(values[at]!)!;
      const sampleTags = tags.get(values[at + 1]!)!;
      const sample: Sample = { metric, tags: sampleTags, value: values[at + 2]!, time: values[at + 3]! };
      samples[i] = sample;
      this.registry.add(sample);
      if (metric.name === 'group_duration' && sampleTags.group) this.groupPaths.add(sampleTags.group);
    }
    for (const [groupPath, name, passes, fails] of batch.checks) {
      const key = `${groupPath}\u0000${name}`;
      let tally = this.tallies.get(key);
      if (!tally) this.tallies.set(key, (tally = { groupPath, name, passes: 0, fails: 0 }));
      tally.passes += passes;
      tally.fails += fails;
      if (groupPath !== '') this.groupPaths.add(groupPath);
    }
    if (samples.length > 0) for (const listener of this.listeners) listener(samples);
  }

  checks(): CheckTally[] {
    return [...this.tallies.values()];
  }

  /** Every group path seen, with its parents: `::a::b` brings `::a`. */
  groups(): string[] {
    const all = new Set<string>();
    for (const path of this.groupPaths) {
      const parts = path.split('::').slice(1);
      for (let i = 1; i <= parts.length; i++) all.add(`::${parts.slice(0, i).join('::')}`);
    }
    return [...all].sort();
  }

  private intern(tags: TagSet): TagSet {
    const names = Object.keys(tags).sort();
    let key = '';
    for (const name of names) key += `${name}\u0000${tags[name]}\u0001`;
    let interned = this.tagSets.get(key);
    if (!interned) this.tagSets.set(key, (interned = Object.isFrozen(tags) ? tags : Object.freeze({ ...tags })));
    return interned;
  }
}
