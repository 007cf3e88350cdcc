import type { SearchOutcome, StopReason } from './search.ts';
import type { BrokenRow, GeneratorLimit, StepResult } from './step-verdict.ts';

/** What the search found, in the figures capacity.json and the answer line give. */
export interface CapacityAnswer {
  /** The highest offered rate at which every SLA held; undefined when none did. */
  sessionsPerS: number | undefined;
  /** Agent runs per second at that rate (sessions × runs per session, as measured there); undefined without agents. */
  runsPerS: number | undefined;
  /** Sessions in flight at that rate: rate × mean session length (Little's law). */
  concurrency: number | undefined;
  /** The SLA row that broke first: at the lowest failing rate, the one furthest past its bound. */
  bottleneck: (BrokenRow & { offeredRate: number }) | undefined;
  /** The generator, not the backend, ended the search; what it could not do. */
  generatorLimited: { offeredRate: number; limits: GeneratorLimit[] } | undefined;
  /** The lowest offered rate at which an SLA broke; undefined when none did. */
  failRate: number | undefined;
  /** The capacity is a lower bound: the search stopped before any SLA broke. */
  atLeast: boolean;
  stop: StopReason;
  passStep: StepResult | undefined;
}

export function capacityAnswer(outcome: SearchOutcome): CapacityAnswer {
  const passStep = outcome.passRate === undefined ? undefined
    : outcome.steps.filter((step) => step.verdict === 'pass' && step.offeredRate === outcome.passRate).at(-1);
  const failStep = outcome.failRate === undefined ? undefined
    : outcome.steps.filter((step) => step.verdict === 'fail' && step.offeredRate === outcome.failRate).at(-1);
  const limited = outcome.stop === 'generator_limited' && outcome.stoppedBy ? outcome.stoppedBy : undefined;
  const rate = outcome.passRate;
  return {
    sessionsPerS: rate,
    runsPerS: rate !== undefined && passStep?.runsPerSession !== undefined ? rate * passStep.runsPerSession : undefined,
    concurrency: rate !== undefined && passStep?.sessionS !== undefined ? rate * passStep.sessionS : undefined,
    bottleneck: failStep?.broken[0] ? { ...failStep.broken[0], offeredRate: failStep.offeredRate } : undefined,
    generatorLimited: limited ? { offeredRate: limited.offeredRate, limits: limited.generatorLimits } : undefined,
    failRate: outcome.failRate,
    atLeast: outcome.failRate === undefined,
    stop: outcome.stop,
    passStep,
  };
}
