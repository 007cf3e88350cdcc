import type { Overrides } from '../options/consolidate.ts';
import type { ExecutionSegment } from '../options/execution-segment.ts';
import type { LogFormat } from '../runtime/logger.ts';

/** One `agent-sla exec`: what the flags asked for, read and checked. */
export interface RunConfig {
  scriptPath: string;
  /** `__ENV`: the process environment plus `-e`. */
  env: Record<string, string>;
  /** Flags and K6_* variables above the script's options. */
  overrides: Overrides;
  /** `--out` values: `json=FILE`, `influxdb=URL`. */
  outputs: string[];
  segment: ExecutionSegment;
  quiet: boolean;
  noSummary: boolean;
  noThresholds: boolean;
  summaryMode: 'compact' | 'full';
  /** --summary-export: k6's old summary JSON written to a file. */
  summaryExport: string | undefined;
  noColor: boolean;
  logFormat: LogFormat | undefined;
  verbose: boolean;
  /** Worker threads; one per core by default. */
  workers: number | undefined;
  /**
   * How the arrival-rate executors space their iterations: evenly, as k6 does, or as a Poisson process (exponential
   * gaps of the same mean rate, drawn from `seed`), as real users arrive. An engine flag, not a script option, so
   * that the script stays a k6 script.
   */
  arrivals: { kind: 'even' | 'poisson'; seed: number };
  cwd: string;
}
