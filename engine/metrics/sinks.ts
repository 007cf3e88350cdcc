import type { MetricType } from './types.ts';
import { percentile } from './percentile.ts';
import { trendStat } from './trend-stats.ts';

/** A Counter: the sum of its values; its rate is that sum per second of test run. */
export class CounterSink {
  readonly type = 'counter';
  count = 0;
  samples = 0;

  add(value: number): void {
    this.count += value;
    this.samples++;
  }

  get isEmpty(): boolean {
    return this.samples === 0;
  }

  rate(testRunDurationMs: number): number {
    return testRunDurationMs > 0 ? this.count / (testRunDurationMs / 1000) : 0;
  }
}

/** A Gauge: the last value added, and the smallest and largest seen. */
export class GaugeSink {
  readonly type = 'gauge';
  value = 0;
  min = 0;
  max = 0;
  samples = 0;

  add(value: number): void {
    if (this.samples === 0 || value < this.min) this.min = value;
    if (this.samples === 0 || value > this.max) this.max = value;
    this.value = value;
    this.samples++;
  }

  get isEmpty(): boolean {
    return this.samples === 0;
  }
}

/** A Rate: how many of its values are non-zero. */
export class RateSink {
  readonly type = 'rate';
  passes = 0;
  total = 0;

  add(value: number): void {
    this.total++;
    if (value !== 0) this.passes++;
  }

  get fails(): number {
    return this.total - this.passes;
  }

  /** passes / total; 0 with no values. */
  get rate(): number {
    return this.total > 0 ? this.passes / this.total : 0;
  }

  get isEmpty(): boolean {
    return this.total === 0;
  }
}

/** A Trend: every value kept, so that percentiles are exact. Sorted once per read after new values, not per add. */
export class TrendSink {
  readonly type = 'trend';
  count = 0;
  sum = 0;
  min = 0;
  max = 0;
  private values = new Float64Array(64);
  private sorted = true;

  add(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count] = value;
    if (this.count === 0 || value < this.min) this.min = value;
    if (this.count === 0 || value > this.max) this.max = value;
    this.count++;
    this.sum += value;
    this.sorted = false;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  get avg(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  get med(): number {
    return this.percentile(50);
  }

  /** The p-th percentile, p from 0 to 100. */
  percentile(p: number): number {
    if (!this.sorted) {
      this.values.subarray(0, this.count).sort();
      this.sorted = true;
    }
    return percentile(this.values, this.count, p);
  }
}

export type Sink = CounterSink | GaugeSink | RateSink | TrendSink;

export function createSink(type: MetricType): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}

/**
 * A metric's `values` as k6's summary shows them: counter {count, rate}, gauge {value, min, max},
 * rate {rate, passes, fails}, trend: exactly the summaryTrendStats keys, in their order.
 */
export function formatValues(sink: Sink, trendStats: readonly string[], testRunDurationMs: number): Record<string, number> {
  switch (sink.type) {
    case 'counter':
      return { count: sink.count, rate: sink.rate(testRunDurationMs) };
    case 'gauge':
      return { value: sink.value, min: sink.min, max: sink.max };
    case 'rate':
      return { rate: sink.rate, passes: sink.passes, fails: sink.fails };
    case 'trend': {
      const values: Record<string, number> = {};
      for (const stat of trendStats) values[stat] = trendStat(sink, stat);
      return values;
    }
  }
}
