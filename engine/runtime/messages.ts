import type { TagSet } from '../metrics/types.ts';
import type { TestOptions } from '../options/test-options.ts';
import type { PreparedScript } from '../script/vu-scope.ts';
import type { LedgerSnapshot } from '../modules/ledger.ts';
import type { InstanceStats } from './instance-stats.ts';
import type { LoggerConfig } from './logger.ts';
import type { MetricRef } from './vu-context.ts';

/** What a worker needs to host VUs: given once, as its workerData. */
export interface WorkerSetup {
  script: PreparedScript;
  options: TestOptions;
  /** `__ENV` before any scenario's own env. */
  env: Record<string, string>;
  testStart: number;
  log: LoggerConfig;
  scenarios: ScenarioWire[];
  /** The SharedArrays, built once by the main thread, as JSON by name. */
  sharedArrays: Record<string, string>;
}

/** A scenario as the workers see it: what an iteration of it calls, with which env and tags. */
export interface ScenarioWire {
  name: string;
  executor: string;
  exec: string;
  env: Record<string, string>;
  tags: Record<string, string>;
  /** ms from the test's start to the scenario's start, and its length without gracefulStop, for progress. */
  startTimeMs: number;
  durationMs: number;
}

export interface IterationStart {
  vu: number;
  /** Index into WorkerSetup.scenarios. */
  scenario: number;
  iterationInScenario: number;
  iterationInTest: number;
  scenarioIterationInInstance: number;
}

export type Lifecycle = 'setup' | 'teardown' | 'summary';

export type ToWorker =
  | { type: 'createVus'; request: number; vus: Array<{ id: number; idInTest: number }> }
  /** vusActive: the instance's active VUs when these start, so that k6/execution reads it fresh. */
  | { type: 'iterate'; starts: IterationStart[]; vusActive: number }
  | { type: 'interrupt'; vus: number[] }
  /** Sent once setup() is done: its data, and the test's clock (ms since the epoch). */
  | { type: 'setupData'; json: string | undefined; testStart: number; executorsStart: number }
  /** Runs setup(), teardown(data) or handleSummary(data) on the worker's VU 0; arg is JSON. */
  | { type: 'lifecycle'; request: number; stage: Lifecycle; arg: string | undefined; ledger?: LedgerSnapshot }
  | { type: 'stats'; stats: InstanceStats }
  /** Flush every sample, then answer with `drained` and the worker's ledger. */
  | { type: 'drain'; request: number }
  /** The test is over: the worker ends its thread, its output flushed. */
  | { type: 'exit' };

export const enum IterationOutcome {
  Done = 0,
  Error = 1,
  Interrupted = 2,
}

export interface SampleBatch {
  metrics: MetricRef[];
  tags: Array<[id: number, tags: TagSet]>;
  /** Four numbers per sample: metric id, tags id, value, time (ms since the epoch). */
  values: Float64Array;
  checks: Array<[groupPath: string, name: string, passes: number, fails: number]>;
}

export type FromWorker =
  /** error: the init code threw; aborted: it called test.abort() (k6 exits 108, not 107). */
  | { type: 'vusCreated'; request: number; ids: number[]; error?: string; aborted?: boolean }
  | { type: 'samples'; batch: SampleBatch }
  | { type: 'iterationsDone'; ends: Array<[vu: number, outcome: IterationOutcome]> }
  /** result: setup()'s data as JSON; summary: what handleSummary() returned, as it is (strings and ArrayBuffers). */
  | { type: 'lifecycleDone'; request: number; stage: Lifecycle; ok: boolean; result?: string; summary?: unknown; error?: string; aborted?: boolean }
  | { type: 'abortTest'; reason: string }
  | { type: 'failTest'; reason: string }
  | { type: 'drained'; request: number; ledger: LedgerSnapshot };
