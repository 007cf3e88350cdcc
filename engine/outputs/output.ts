import type { Writable } from 'node:stream';
import type { Sample } from '../metrics/types.ts';

export interface OutputContext {
  /** Process environment plus -e values: K6_INFLUXDB_* and friends are read from here. */
  env: Record<string, string>;
  /** The thresholds defined for a metric name, as source strings (for k6's JSON "Metric" lines). */
  thresholdsOf(metric: string): string[];
  /**
   * The submetrics that thresholds define on a metric: the text between the braces of each threshold key, e.g.
   * ["status:200"] for `http_req_duration{status:200}`. Optional: without it k6's JSON "submetrics" is null.
   */
  submetricsOf?(metric: string): string[];
  /** Where relative paths resolve. */
  cwd: string;
  /** Progress/warnings to the user, one line each (never print credentials). */
  warn(line: string): void;
  /** Where `--out json` without a file name writes; process.stdout when absent. */
  stdout?: Writable;
}

export interface Output {
  /** What k6 prints in its banner's "output:" line, e.g. "json (out.json)" or "InfluxDBv1 (http://127.0.0.1:8086)". Never with credentials. */
  readonly description: string;
  start(): Promise<void>;
  /** Called often (every ~100–200 ms) with the samples since the last call, in time order per worker. Must not block: buffer and flush asynchronously. */
  addSamples(samples: readonly Sample[]): void;
  /** Flushes everything and closes. */
  stop(): Promise<void>;
}

/** A bad --out value or output setting, as one line for the user. */
export class OutputConfigError extends Error {
  override readonly name = 'OutputConfigError';
}
