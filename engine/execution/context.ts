import type { IterationOutcome } from '../runtime/messages.ts';

/** A VU an executor holds: from the pool until it is returned. */
export interface VuLease {
  readonly id: number;
}

/** Counts one scenario keeps: the numbers k6/execution gives each iteration. */
export interface ScenarioCounters {
  /** Index of the scenario in the test's scenario list (the workers know it by this index). */
  readonly index: number;
  readonly name: string;
  /** Iterations started in this instance so far. */
  started: number;
  /** Iterations started so far by each VU in this scenario (k6/execution's vu.iterationInScenario). */
  readonly byVu: Map<number, number>;
}

/**
 * What an executor may do, and nothing else: take VUs from the instance's pool and give them back, run iterations
 * on them, interrupt them, count dropped iterations, and wait on the test's clock. The clock is in milliseconds
 * since the executor's start; everything the executor waits for ends early when the test is aborted.
 */
export interface ExecutionContext {
  now(): number;
  /** Resolves at the given time, or false at once when the test is aborted. */
  sleepUntil(time: number): Promise<boolean>;
  /** Runs fn at the given time unless cancelled first (or the test is aborted); returns the cancel function. */
  at(time: number, fn: () => void): () => void;
  readonly aborted: boolean;

  /** A VU the plan reserved for this scenario, initializing one if none is idle. */
  plannedVu(): Promise<VuLease>;
  /** Starts initializing one more VU, for arrival rates past their pre-allocated VUs; undefined when it fails. */
  unplannedVu(): Promise<VuLease | undefined>;
  returnVu(vu: VuLease): void;

  /** Runs one iteration of the scenario on the VU; resolves when it ended. */
  iterate(vu: VuLease, scenario: ScenarioCounters): Promise<IterationOutcome>;
  /** Hard-stops whatever the VU runs: the iteration ends as interrupted, the VU is replaced in the pool. */
  interrupt(vu: VuLease): void;
  dropped(scenario: ScenarioCounters, count: number): void;
  warn(message: string): void;
}

/** What an executor shows on k6's progress line. */
export interface ExecutorProgress {
  /** 0..1 */
  fraction(): number;
  /** The right-hand text: "10 VUs  05.2s/30s". */
  status(): string;
}

export interface Executor {
  readonly progress: ExecutorProgress;
  /** Runs the scenario to its end, graceful stop included. */
  run(context: ExecutionContext): Promise<void>;
}
