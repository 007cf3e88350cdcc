import type { ScenarioOptions } from '../options/test-options.ts';
import type { ExecutionContext, Executor, ScenarioCounters } from './context.ts';
import { IteratingVus, loopIterations } from './iterating-vus.ts';
import { elapsedProgress } from './progress-text.ts';

type Config = Extract<ScenarioOptions, { executor: 'constant-vus' }>;

/** constant-vus: `vus` VUs loop iterations for `duration`; iterations still running get `gracefulStop`. */
export class ConstantVus implements Executor {
  readonly progress;

  constructor(
    private readonly config: Config,
    private readonly scenario: ScenarioCounters,
    private readonly vus: number,
  ) {
    this.progress = elapsedProgress(config.durationMs, undefined, () => `${vus} VUs`);
  }

  async run(context: ExecutionContext): Promise<void> {
    const { durationMs, gracefulStopMs } = this.config;
    this.progress.start(() => context.now());
    const running = new IteratingVus(context, this.scenario);
    const hardStop = context.at(durationMs + gracefulStopMs, () => running.interruptAll());
    const more = (): boolean => !context.aborted && context.now() < durationMs;
    await Promise.all(
      Array.from({ length: this.vus }, async () => {
        const vu = await context.plannedVu();
        await loopIterations(running, vu, more).finally(() => context.returnVu(vu));
      }),
    );
    hardStop();
  }
}
