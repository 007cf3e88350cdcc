import type { ScenarioOptions } from '../options/test-options.ts';
import { IterationOutcome } from '../runtime/messages.ts';
import type { ExecutionContext, Executor, ScenarioCounters, VuLease } from './context.ts';
import { IteratingVus } from './iterating-vus.ts';
import { elapsedProgress } from './progress-text.ts';
import { gracefulSteps, maxVusOf, rampingSteps, type Step } from './ramping-steps.ts';
import { scenarioLength } from './scenario-length.ts';

type Config = Extract<ScenarioOptions, { executor: 'ramping-vus' }>;

/** One VU position of ramping-vus: looping while wanted; k6 starts and stops the highest positions first. */
interface Slot {
  wanted: boolean;
  vu: VuLease | undefined;
  loop: Promise<void> | undefined;
}

/**
 * ramping-vus: the number of looping VUs follows the stages. A VU no longer wanted finishes its iteration (within
 * gracefulRampDown, or gracefulStop at the end) and stops; one past that is interrupted.
 */
export class RampingVus implements Executor {
  readonly progress;
  private readonly raw: Step[];
  private readonly graceful: Step[];
  private readonly slots: Slot[];
  private active = 0;

  constructor(
    private readonly config: Config,
    private readonly scenario: ScenarioCounters,
    scale: (vus: number) => number,
  ) {
    const stagesMs = scenarioLength(config);
    this.raw = rampingSteps(config.startVUs, config.stages, true, scale);
    this.graceful = gracefulSteps(rampingSteps(config.startVUs, config.stages, false, scale), config.gracefulRampDownMs, stagesMs + config.gracefulStopMs);
    const max = maxVusOf(this.graceful);
    this.slots = Array.from({ length: max }, () => ({ wanted: false, vu: undefined, loop: undefined }));
    this.progress = elapsedProgress(stagesMs, undefined, () => `${this.active}/${max} VUs`);
  }

  /** The most VUs this executor holds at once, ramp-down reserves included. */
  get maxVus(): number {
    return this.slots.length;
  }

  async run(context: ExecutionContext): Promise<void> {
    this.progress.start(() => context.now());
    const running = new IteratingVus(context, this.scenario);
    let scheduled = 0;
    let allowed = 0;
    const onRaw = (vus: number): void => {
      for (; scheduled < vus; scheduled++) this.start(context, running, this.slots[scheduled]!);
      for (; scheduled > vus; scheduled--) this.slots[scheduled - 1]!.wanted = false;
    };
    const onGraceful = (vus: number): void => {
      allowed = Math.max(allowed, vus);
      for (; allowed > vus; allowed--) this.hardStop(running, this.slots[allowed - 1]!);
    };
    let r = 0;
    let g = 0;
    while (r < this.raw.length && !context.aborted) {
      const rawStep = this.raw[r]!;
      const gracefulStep = this.graceful[g];
      if (gracefulStep && gracefulStep.at < rawStep.at) {
        if (!(await context.sleepUntil(gracefulStep.at))) break;
        onGraceful(gracefulStep.vus);
        g++;
      } else {
        if (!(await context.sleepUntil(rawStep.at))) break;
        onRaw(rawStep.vus);
        r++;
      }
    }
    const pending = this.graceful.slice(g).map((step) => context.at(step.at, () => onGraceful(step.vus)));
    await Promise.all(this.slots.map((slot) => slot.loop));
    for (const cancel of pending) cancel();
  }

  private start(context: ExecutionContext, running: IteratingVus, slot: Slot): void {
    slot.wanted = true;
    if (slot.loop) return;
    slot.loop = (async () => {
      const vu = await context.plannedVu();
      slot.vu = vu;
      this.active++;
      try {
        while (slot.wanted && !context.aborted) {
          if ((await running.iterate(vu)) === IterationOutcome.Interrupted) break;
        }
      } finally {
        this.active--;
        slot.vu = undefined;
        slot.loop = undefined;
        context.returnVu(vu);
      }
    })();
  }

  private hardStop(running: IteratingVus, slot: Slot): void {
    slot.wanted = false;
    if (slot.vu) running.interrupt(slot.vu);
  }
}
