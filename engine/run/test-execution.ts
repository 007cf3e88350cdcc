import type { ExecutionContext, ScenarioCounters, VuLease } from '../execution/context.ts';
import { iterationInTest, type ExecutionSegment } from '../options/execution-segment.ts';
import { IterationOutcome } from '../runtime/messages.ts';
import type { VuPool } from './vu-pool.ts';
import type { WorkerPool } from './worker-pool.ts';

export interface ExecutionCounts {
  completed: number;
  interrupted: number;
}

/**
 * The test's execution as every executor shares it: one clock, one VU pool, the iterations in flight, and the
 * abort that stops them all. Each scenario sees it through forScenario(), whose clock starts at the scenario's
 * startTime.
 */
export class TestExecution {
  readonly counts: ExecutionCounts = { completed: 0, interrupted: 0 };
  private readonly startedAt = performance.now();
  private readonly inFlight = new Map<number, (outcome: IterationOutcome) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private isAborted = false;

  constructor(
    private readonly workers: WorkerPool,
    private readonly pool: VuPool,
    private readonly segment: ExecutionSegment,
    private readonly hooks: { dropped(scenario: ScenarioCounters, count: number): void; warn(message: string): void },
  ) {}

  /** ms since the executors started. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  get aborted(): boolean {
    return this.isAborted;
  }

  get iterating(): number {
    return this.inFlight.size;
  }

  /** Stops the test: nothing new starts, whatever runs is interrupted, every wait ends now. */
  abort(): void {
    if (this.isAborted) return;
    this.isAborted = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of [...this.sleepers]) wake();
    this.workers.broadcast({ type: 'interrupt', vus: [...this.inFlight.keys()] });
  }

  /** A worker reported iterations that ended. */
  ended(ends: ReadonlyArray<readonly [number, IterationOutcome]>): void {
    for (const [vu, outcome] of ends) {
      const resolve = this.inFlight.get(vu);
      if (!resolve) continue;
      this.inFlight.delete(vu);
      if (outcome === IterationOutcome.Interrupted) this.counts.interrupted++;
      else this.counts.completed++;
      resolve(outcome);
    }
  }

  forScenario(startTimeMs: number): ExecutionContext {
    const execution = this;
    const local = (): number => execution.now() - startTimeMs;
    return {
      now: local,
      get aborted() {
        return execution.isAborted;
      },
      sleepUntil: (time) => execution.sleepUntil(startTimeMs + time),
      at: (time, fn) => execution.at(startTimeMs + time, fn),
      plannedVu: () => execution.pool.lease(),
      unplannedVu: () => execution.pool.leaseUnplanned(),
      returnVu: (vu) => void execution.pool.release(vu),
      iterate: (vu, scenario) => execution.iterate(vu, scenario),
      interrupt: (vu) => execution.interrupt(vu),
      dropped: (scenario, count) => execution.hooks.dropped(scenario, count),
      warn: (message) => execution.hooks.warn(message),
    };
  }

  sleepUntil(time: number): Promise<boolean> {
    if (this.isAborted) return Promise.resolve(false);
    const wait = time - this.now();
    if (wait <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.sleepers.delete(wake);
        resolve(!this.isAborted);
      };
      const timer = setTimeout(wake, wait);
      this.timers.add(timer);
      this.sleepers.add(wake);
    });
  }

  at(time: number, fn: () => void): () => void {
    if (this.isAborted) return () => {};
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, time - this.now()));
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  private iterate(vu: VuLease, scenario: ScenarioCounters): Promise<IterationOutcome> {
    if (this.isAborted) return Promise.resolve(IterationOutcome.Interrupted);
    const inScenario = scenario.byVu.get(vu.id) ?? 0;
    scenario.byVu.set(vu.id, inScenario + 1);
    const inInstance = scenario.started++;
    return new Promise((resolve) => {
      this.inFlight.set(vu.id, resolve);
      this.workers.send(this.pool.workerOf(vu), {
        type: 'iterate',
        starts: [{ vu: vu.id, scenario: scenario.index, iterationInScenario: inScenario, iterationInTest: iterationInTest(this.segment, inInstance), scenarioIterationInInstance: inInstance }],
        vusActive: this.pool.leased,
      });
    });
  }

  private interrupt(vu: VuLease): void {
    if (!this.inFlight.has(vu.id)) return;
    this.pool.retire(vu);
    this.workers.send(this.pool.workerOf(vu), { type: 'interrupt', vus: [vu.id] });
  }
}
