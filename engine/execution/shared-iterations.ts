import type { ScenarioOptions } from '../options/test-options.ts';
import type { ExecutionContext, Executor, ScenarioCounters } from './context.ts';
import { IteratingVus, loopIterations } from './iterating-vus.ts';
import { elapsedProgress } from './progress-text.ts';

type Config = Extract<ScenarioOptions, { executor: 'shared-iterations' }>;

/**
 * shared-iterations: `iterations` in all, taken by `vus` VUs as each becomes free, within `maxDuration`. Iterations
 * not started by then are dropped (dropped_iterations); those still running get `gracefulStop` to finish.
 */
export class SharedIterations implements Executor {
  private started = 0;
  private running: IteratingVus | undefined;
  readonly progress;

  constructor(
    private readonly config: Config,
    private readonly scenario: ScenarioCounters,
    private readonly vus: number,
    private readonly iterations: number,
  ) {
    const done = (): number => this.running?.ended ?? 0;
    this.progress = elapsedProgress(config.maxDurationMs, () => done() / Math.max(1, iterations), () => `${vus} VUs  ${done()}/${iterations} shared iters`);
  }

  async run(context: ExecutionContext): Promise<void> {
    const { maxDurationMs, gracefulStopMs } = this.config;
    this.progress.start(() => context.now());
    const running = (this.running = new IteratingVus(context, this.scenario));
    const hardStop = context.at(maxDurationMs + gracefulStopMs, () => running.interruptAll());
    const more = (): boolean => {
      if (context.aborted || context.now() >= maxDurationMs || this.started >= this.iterations) return false;
      this.started++;
      return true;
    };
    await Promise.all(
      Array.from({ length: this.vus }, async () => {
        const vu = await context.plannedVu();
        await loopIterations(running, vu, more).finally(() => context.returnVu(vu));
      }),
    );
    hardStop();
    if (this.started < this.iterations) context.dropped(this.scenario, this.iterations - this.started);
  }
}
