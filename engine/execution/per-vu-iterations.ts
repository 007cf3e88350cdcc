import type { ScenarioOptions } from '../options/test-options.ts';
import type { ExecutionContext, Executor, ScenarioCounters } from './context.ts';
import { IteratingVus, loopIterations } from './iterating-vus.ts';
import { elapsedProgress } from './progress-text.ts';

type Config = Extract<ScenarioOptions, { executor: 'per-vu-iterations' }>;

/** per-vu-iterations: each of `vus` VUs runs `iterations` iterations, within `maxDuration`; the rest are dropped. */
export class PerVuIterations implements Executor {
  private started = 0;
  private running: IteratingVus | undefined;
  readonly progress;

  constructor(
    private readonly config: Config,
    private readonly scenario: ScenarioCounters,
    private readonly vus: number,
  ) {
    const total = vus * config.iterations;
    const done = (): number => this.running?.ended ?? 0;
    this.progress = elapsedProgress(config.maxDurationMs, () => done() / Math.max(1, total), () => `${vus} VUs  ${done()}/${total} iters, ${config.iterations} per VU`);
  }

  async run(context: ExecutionContext): Promise<void> {
    const { maxDurationMs, gracefulStopMs, iterations } = this.config;
    this.progress.start(() => context.now());
    const running = (this.running = new IteratingVus(context, this.scenario));
    const hardStop = context.at(maxDurationMs + gracefulStopMs, () => running.interruptAll());
    await Promise.all(
      Array.from({ length: this.vus }, async () => {
        const vu = await context.plannedVu();
        let own = 0;
        const more = (): boolean => {
          if (context.aborted || context.now() >= maxDurationMs || own >= iterations) return false;
          own++;
          this.started++;
          return true;
        };
        await loopIterations(running, vu, more).finally(() => context.returnVu(vu));
      }),
    );
    hardStop();
    const total = this.vus * iterations;
    if (this.started < total) context.dropped(this.scenario, total - this.started);
  }
}
