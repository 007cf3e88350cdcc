import { IterationOutcome } from '../runtime/messages.ts';
import type { ExecutionContext, Executor, ScenarioCounters, VuLease } from './context.ts';
import { IteratingVus } from './iterating-vus.ts';
import { elapsedProgress } from './progress-text.ts';

export interface ArrivalPlan {
  /** Start times, ms from the executor's start, in order. */
  times: Iterable<number>;
  durationMs: number;
  gracefulStopMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  /** Iterations per second at the peak, for the progress line. */
  peakRatePerSecond: number;
}

/**
 * The arrival-rate executors (the open model): each iteration starts at its time whatever the iterations before it
 * are doing. With no idle VU at that moment, the iteration is dropped (dropped_iterations), and one more VU is
 * initialized in the background while the executor is under maxVUs.
 */
export class ArrivalRate implements Executor {
  readonly progress;
  private busy = 0;
  private held = 0;

  constructor(
    private readonly plan: ArrivalPlan,
    private readonly scenario: ScenarioCounters,
  ) {
    this.progress = elapsedProgress(plan.durationMs, undefined, () => `${this.busy}/${this.held} VUs  ${plan.peakRatePerSecond.toFixed(2)} iters/s`);
  }

  async run(context: ExecutionContext): Promise<void> {
    const plan = this.plan;
    this.progress.start(() => context.now());
    const running = new IteratingVus(context, this.scenario);
    const idle: VuLease[] = [];
    let settleAll: (() => void) | undefined;
    for (let i = 0; i < plan.preAllocatedVUs; i++) idle.push(await context.plannedVu());
    this.held = idle.length;
    let unplannedLeft = plan.maxVUs - plan.preAllocatedVUs;
    let initializing = false;
    let warned = false;
    const hardStop = context.at(plan.durationMs + plan.gracefulStopMs, () => running.interruptAll());

    const start = (vu: VuLease): void => {
      this.busy++;
      void running.iterate(vu).then((outcome) => {
        this.busy--;
        if (outcome === IterationOutcome.Interrupted) {
          this.held--;
          context.returnVu(vu);
        } else {
          idle.push(vu);
        }
        if (this.busy === 0) settleAll?.();
      });
    };

    for (const at of plan.times) {
      if (at >= plan.durationMs) break;
      if (!(await context.sleepUntil(at))) break;
      const vu = idle.pop();
      if (vu) {
        start(vu);
        continue;
      }
      context.dropped(this.scenario, 1);
      if (unplannedLeft === 0) {
        if (!warned) context.warn(`Insufficient VUs, reached ${plan.maxVUs} active VUs and cannot initialize more`);
        warned = true;
      } else if (!initializing) {
        initializing = true;
        unplannedLeft--;
        void context.unplannedVu().then((fresh) => {
          initializing = false;
          if (fresh) {
            this.held++;
            idle.push(fresh);
          }
        });
      }
    }
    if (this.busy > 0) await new Promise<void>((resolve) => (settleAll = resolve));
    hardStop();
    while (initializing) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const vu of idle.splice(0)) context.returnVu(vu);
    this.held = 0;
  }
}
