import { IterationOutcome } from '../runtime/messages.ts';
import type { ExecutionContext, ScenarioCounters, VuLease } from './context.ts';

/**
 * The VUs of one scenario that are in an iteration now, so that the scenario's hard stop (the end of its
 * gracefulStop) can interrupt exactly those.
 */
export class IteratingVus {
  private readonly running = new Set<VuLease>();
  /** Iterations that ended, whichever way. */
  ended = 0;

  constructor(
    private readonly context: ExecutionContext,
    private readonly scenario: ScenarioCounters,
  ) {}

  get count(): number {
    return this.running.size;
  }

  async iterate(vu: VuLease): Promise<IterationOutcome> {
    this.running.add(vu);
    try {
      return await this.context.iterate(vu, this.scenario);
    } finally {
      this.running.delete(vu);
      this.ended++;
    }
  }

  interruptAll(): void {
    for (const vu of [...this.running]) this.context.interrupt(vu);
  }

  interrupt(vu: VuLease): void {
    if (this.running.has(vu)) this.context.interrupt(vu);
  }
}

/** Iterations back to back on one VU while `more()` says so: the looping executors' VU. */
export async function loopIterations(running: IteratingVus, vu: VuLease, more: () => boolean): Promise<void> {
  while (more()) {
    const outcome = await running.iterate(vu);
    if (outcome === IterationOutcome.Interrupted) return;
  }
}
