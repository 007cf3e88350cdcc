/**
 * `--out influxdb=http://host:8086/db`: k6's InfluxDB v1 output. Samples are queued (bounded), encoded as line
 * protocol and written every push interval in batches, with at most K6_INFLUXDB_CONCURRENT_WRITES requests in
 * flight. Nothing here stops a test: a failed write loses its samples and says so in a (throttled) warning.
 */
import type { Sample } from '../metrics/types.ts';
import { influxConfig, type InfluxConfig } from './influxdb-config.ts';
import { LineEncoder } from './influxdb-lines.ts';
import { InfluxRequestError, InfluxWriter } from './influxdb-writer.ts';
import type { Output, OutputContext } from './output.ts';
import { SampleQueue } from './sample-queue.ts';
import { WarningThrottle } from './warning-throttle.ts';

export interface InfluxOutputTuning {
  /** Samples held while waiting to be written; past it, new samples are dropped with a warning. */
  maxQueuedSamples: number;
  /** Lines per write request. */
  batchSize: number;
  requestTimeoutMs: number;
  /** How long start() waits for CREATE DATABASE. */
  startTimeoutMs: number;
  /** How long stop() lets the last writes take before it cancels them. */
  stopTimeoutMs: number;
  /** The least time between two warnings of one kind. */
  warningIntervalMs: number;
}

const DEFAULT_TUNING: InfluxOutputTuning = {
  maxQueuedSamples: 500_000,
  batchSize: 5_000,
  requestTimeoutMs: 10_000,
  startTimeoutMs: 5_000,
  stopTimeoutMs: 30_000,
  warningIntervalMs: 30_000,
};

export class InfluxDbOutput implements Output {
  readonly description: string;
  private readonly config: InfluxConfig;
  private readonly tuning: InfluxOutputTuning;
  private readonly queue: SampleQueue;
  private readonly encoder: LineEncoder;
  private readonly writer: InfluxWriter;
  private readonly throttle: WarningThrottle;
  private readonly cancel = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private stopping = false;
  private onIdle: (() => void) | undefined;
  /** The reason writes are failing, while they are. */
  private failing: string | undefined;
  private received = 0;
  private lost = 0;

  constructor(argument: string, private readonly context: OutputContext, tuning: Partial<InfluxOutputTuning> = {}) {
    this.config = influxConfig(argument, context.env);
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.description = `InfluxDBv1 (${this.config.addr})`;
    this.queue = new SampleQueue(this.tuning.batchSize, this.tuning.maxQueuedSamples);
    this.encoder = new LineEncoder(this.config.tagsAsFields, this.config.precision);
    this.writer = new InfluxWriter(this.config, this.tuning.requestTimeoutMs);
    this.throttle = new WarningThrottle((line) => context.warn(line), this.tuning.warningIntervalMs);
  }

  async start(): Promise<void> {
    const signal = AbortSignal.timeout(this.tuning.startTimeoutMs);
    try {
      await this.writer.createDatabase(signal);
    } catch (error) {
      // Other refusals (a user who may write but not create databases) are as harmless as they are in k6.
      if (error instanceof InfluxRequestError && error.kind !== 'refused') {
        const reason = signal.aborted ? `no answer within ${this.tuning.startTimeoutMs / 1000}s` : error.message;
        const what = error.kind === 'unauthorized' ? 'refused the credentials' : 'is unreachable';
        this.failing = reason;
        this.throttle.note(failureKind(reason));
        this.context.warn(`InfluxDB at ${this.config.addr} ${what} (${reason}): its samples will be lost while this lasts; the test goes on`);
      }
    }
    this.timer = setInterval(() => this.tick(), this.config.pushIntervalMs);
    this.timer.unref();
  }

  addSamples(samples: readonly Sample[]): void {
    if (this.stopping) return;
    this.received += samples.length;
    this.lost += this.queue.push(samples);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.timer);
    this.warnOfDrops();
    const deadline = setTimeout(() => this.cancel.abort(), this.tuning.stopTimeoutMs);
    try {
      await this.drain();
    } finally {
      clearTimeout(deadline);
      this.cancel.abort();
      this.writer.close();
    }
    if (this.lost > 0) {
      const cause = this.failing ? ` (last error: ${this.failing})` : '';
      this.context.warn(`InfluxDB at ${this.config.addr}: ${this.lost} of ${this.received} samples were not stored${cause}`);
    }
  }

  private tick(): void {
    this.warnOfDrops();
    this.pump(true);
  }

  /** Starts writes while there is room: every chunk on a tick, only full chunks (a backlog) in between. */
  private pump(evenPartial: boolean): void {
    while (this.inFlight < this.config.concurrentWrites && !this.cancel.signal.aborted) {
      if (!evenPartial && !this.queue.hasFullChunk()) return;
      const chunk = this.queue.take();
      if (!chunk) return;
      void this.send(chunk);
    }
  }

  private async send(chunk: Sample[]): Promise<void> {
    this.inFlight++;
    const started = performance.now();
    try {
      const lines = this.encoder.encode(chunk);
      if (lines.length > 0) await this.writer.write(lines.join('\n'), this.cancel.signal);
      this.recovered();
      const took = performance.now() - started;
      if (took > this.config.pushIntervalMs) {
        this.throttle.say('slow', `InfluxDB at ${this.config.addr}: a write took ${Math.round(took)}ms, longer than the push interval (${this.config.pushIntervalMs}ms); if this repeats, InfluxDB cannot keep up with this test`);
      }
    } catch (error) {
      this.lost += chunk.length;
      this.failed(error instanceof InfluxRequestError ? error.message : String(error), chunk.length);
    } finally {
      this.inFlight--;
      this.pump(this.stopping);
      if (this.inFlight === 0 && (this.queue.size === 0 || this.cancel.signal.aborted)) this.onIdle?.();
    }
  }

  private failed(reason: string, count: number): void {
    if (reason !== this.failing) this.throttle.reset(failureKind(reason));
    this.failing = reason;
    this.throttle.say(failureKind(reason), `InfluxDB at ${this.config.addr}: ${count} samples could not be written (${reason}); the test goes on`);
  }

  private recovered(): void {
    if (this.failing === undefined) return;
    this.throttle.reset(failureKind(this.failing));
    this.failing = undefined;
    this.context.warn(`InfluxDB at ${this.config.addr}: writing again (${this.lost} samples lost so far)`);
  }

  private warnOfDrops(): void {
    const dropped = this.queue.takeRefusedCount();
    if (dropped === 0) return;
    this.throttle.say('dropped', `InfluxDB at ${this.config.addr}: ${dropped} samples dropped, ${this.tuning.maxQueuedSamples} were already waiting to be written`);
  }

  /** Writes everything queued; resolves when nothing is queued or in flight, or when cancelled. */
  private drain(): Promise<void> {
    return new Promise((resolve) => {
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        this.onIdle = undefined;
        this.lost += this.queue.size;
        while (this.queue.take()) {
          // what is still queued after a cancel is lost; it was counted just above
        }
        resolve();
      };
      this.onIdle = finish;
      this.cancel.signal.addEventListener('abort', () => {
        if (this.inFlight === 0) finish();
      });
      this.pump(true);
      if (this.inFlight === 0) finish();
    });
  }
}

const failureKind = (reason: string): string => `failure: ${reason}`;
