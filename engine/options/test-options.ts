/**
 * The consolidated options of a test: the script's `export const options` merged with the flags, the shortcuts
 * (`vus`, `duration`, `iterations`, `stages`) turned into one scenario, every duration in milliseconds.
 * Built by engine/options/consolidate.ts; read by the scheduler, the VUs, thresholds, the summary and the outputs.
 */
export interface TestOptions {
  scenarios: Record<string, ScenarioOptions>;
  /** Threshold expressions by metric (or submetric) key, as the script wrote them, normalised to objects. */
  thresholds: Record<string, ThresholdSource[]>;
  /** options.tags: added to every sample. */
  tags: Record<string, string>;
  /** The system tags that are on. */
  systemTags: string[];
  summaryTrendStats: string[];
  summaryTimeUnit: '' | 's' | 'ms' | 'us';
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  noSetup: boolean;
  noTeardown: boolean;
  noConnectionReuse: boolean;
  noVUConnectionReuse: boolean;
  userAgent: string;
  insecureSkipTLSVerify: boolean;
  discardResponseBodies: boolean;
  /** options.throw: an HTTP error throws instead of being returned on the response. */
  throw: boolean;
  maxRedirects: number;
  /** options.batch and options.batchPerHost: how many requests of one http.batch() run at once. */
  batch: number;
  batchPerHost: number;
  /** Hostname overrides (options.hosts): host or host:port to an address. */
  hosts: Record<string, string>;
  /** A one-line error is what k6 gives for a bad option; the raw script options are kept for exec.test.options. */
  raw: Record<string, unknown>;
}

/** One threshold as the script gave it (a string, or an object with abortOnFail). */
export interface ThresholdSource {
  threshold: string;
  abortOnFail: boolean;
  /** ms of test time before an abortOnFail threshold may abort. */
  delayAbortEvalMs: number;
}

export interface Stage {
  durationMs: number;
  target: number;
}

interface ScenarioCommon {
  /** The exported function each iteration calls; default `default`. */
  exec: string;
  startTimeMs: number;
  gracefulStopMs: number;
  env: Record<string, string>;
  tags: Record<string, string>;
}

export type ScenarioOptions =
  | (ScenarioCommon & { executor: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number })
  | (ScenarioCommon & { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number })
  | (ScenarioCommon & { executor: 'constant-vus'; vus: number; durationMs: number })
  | (ScenarioCommon & { executor: 'ramping-vus'; startVUs: number; stages: Stage[]; gracefulRampDownMs: number })
  | (ScenarioCommon & { executor: 'constant-arrival-rate'; rate: number; timeUnitMs: number; durationMs: number; preAllocatedVUs: number; maxVUs: number })
  | (ScenarioCommon & { executor: 'ramping-arrival-rate'; startRate: number; timeUnitMs: number; stages: Stage[]; preAllocatedVUs: number; maxVUs: number });

export type ExecutorName = ScenarioOptions['executor'];
