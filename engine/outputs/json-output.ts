/**
 * `--out json=FILE`: k6's JSON lines (json-lines.ts) into FILE, gzipped when the name ends in ".gz", or to stdout
 * for `--out json` and `--out json=-`. Samples are buffered and written every 200 ms, as k6 does.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Sample } from '../metrics/types.ts';
import { metricLine, PointLineWriter } from './json-lines.ts';
import type { Output, OutputContext } from './output.ts';

const FLUSH_INTERVAL_MS = 200;

export class JsonOutput implements Output {
  readonly description: string;
  private readonly toStdout: boolean;
  private sink: Writable | undefined;
  private file: WriteStream | undefined;
  private pending: Array<readonly Sample[]> = [];
  private readonly seenMetrics = new Set<string>();
  private readonly points = new PointLineWriter();
  private timer: NodeJS.Timeout | undefined;
  private failed = false;

  constructor(
    private readonly fileName: string,
    private readonly context: OutputContext,
  ) {
    this.toStdout = fileName === '' || fileName === '-';
    this.description = this.toStdout ? 'json(stdout)' : `json (${fileName})`;
  }

  async start(): Promise<void> {
    if (this.toStdout) {
      this.sink = this.context.stdout ?? process.stdout;
    } else {
      const file = createWriteStream(resolve(this.context.cwd, this.fileName));
      try {
        await once(file, 'open'); // rejects on the stream's 'error'
      } catch (error) {
        throw new Error(`json output: cannot create ${this.fileName}: ${messageOf(error)}`);
      }
      this.file = file;
      file.on('error', (error) => this.fail(error));
      if (this.fileName.endsWith('.gz')) {
        const gzip = createGzip();
        gzip.on('error', (error) => this.fail(error));
        gzip.pipe(file);
        this.sink = gzip;
      } else {
        this.sink = file;
      }
    }
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  addSamples(samples: readonly Sample[]): void {
    if (samples.length > 0 && !this.failed) this.pending.push(samples);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
    const sink = this.sink;
    this.sink = undefined;
    if (!sink) return;
    if (this.toStdout) {
      // stdout is not ours to close: wait until what we wrote has been handed on.
      await new Promise<void>((done) => sink.write('', () => done()));
      return;
    }
    sink.end();
    const file = this.file;
    if (file && !file.closed) await once(file, 'close');
  }

  private flush(): void {
    const batches = this.pending;
    this.pending = [];
    if (!this.sink || this.failed || batches.length === 0) return;
    let text = '';
    for (const samples of batches) {
      for (const sample of samples) {
        const name = sample.metric.name;
        if (!this.seenMetrics.has(name)) {
          this.seenMetrics.add(name);
          text += `${metricLine(sample.metric, this.context.thresholdsOf(name), this.context.submetricsOf?.(name) ?? [])}\n`;
        }
        text += `${this.points.line(sample)}\n`;
      }
    }
    this.sink.write(text);
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.pending = [];
    this.context.warn(`json output: writing ${this.fileName} failed, no more samples will be written: ${messageOf(error)}`);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
