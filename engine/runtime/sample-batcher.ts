import type { TagSet } from '../metrics/types.ts';
import type { SampleBatch } from './messages.ts';
import type { SampleSink } from './sample-sink.ts';
import type { MetricRef } from './vu-context.ts';

/**
 * Samples are sent to the main thread at least this often, and at once when this many are waiting. Each message
 * costs a structured clone; thresholds are checked every 2 s and outputs flush every second, so this is soon enough.
 */
const FLUSH_INTERVAL_MS = 200;
const FLUSH_AT_SAMPLES = 8192;

/**
 * The worker's SampleSink: everything its VUs measure, batched into one message per flush, numbers in a
 * Float64Array that is transferred, not copied.
 */
export class SampleBatcher implements SampleSink {
  private metrics: MetricRef[] = [];
  private tags: Array<[number, TagSet]> = [];
  private values = new Float64Array(4 * 1024);
  private count = 0;
  private checks = new Map<string, [string, string, number, number]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly send: (batch: SampleBatch, transfer: ArrayBuffer[]) => void) {}

  defineMetric(metric: MetricRef): void {
    this.metrics.push(metric);
    this.schedule();
  }

  defineTags(id: number, tags: TagSet): void {
    this.tags.push([id, tags]);
  }

  sample(metricId: number, tagsId: number, value: number, time: number): void {
    if ((this.count + 1) * 4 > this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const at = this.count * 4;
    this.values[at] = metricId;
    this.values[at + 1] = tagsId;
    this.values[at + 2] = value;
    this.values[at + 3] = time;
    this.count++;
    if (this.count >= FLUSH_AT_SAMPLES) this.flush();
    else this.schedule();
  }

  check(groupPath: string, name: string, ok: boolean): void {
    const key = `${groupPath}\u0000${name}`;
    let tally = this.checks.get(key);
    if (!tally) this.checks.set(key, (tally = [groupPath, name, 0, 0]));
    if (ok) tally[2]++;
    else tally[3]++;
    this.schedule();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.count === 0 && this.metrics.length === 0 && this.checks.size === 0) return;
    const values = this.values.slice(0, this.count * 4);
    const batch: SampleBatch = { metrics: this.metrics, tags: this.tags, values, checks: [...this.checks.values()] };
    this.metrics = [];
    this.tags = [];
    this.checks = new Map();
    this.count = 0;
    this.send(batch, [values.buffer as ArrayBuffer]);
  }

  private schedule(): void {
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }
}
