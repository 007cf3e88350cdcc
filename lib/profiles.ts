import type { Scenario } from 'k6/options';
import type { Config } from './config.ts';
import type { ProfileName } from './env-options.ts';

/** One step of a ramp: reach `target` (VUs, or iterations per second) over `seconds`. */
export interface Stage {
  seconds: number;
  target: number;
}

export type ProfileShape =
  | { executor: 'shared-iterations'; vus: number; iterations: number; maxSeconds: number }
  | { executor: 'constant-vus'; vus: number; seconds: number }
  | { executor: 'ramping-vus'; startVUs: number; stages: Stage[] }
  | { executor: 'ramping-arrival-rate'; startRate: number; preAllocatedVUs: number; maxVUs: number; stages: Stage[] };

export interface Profile {
  shape: ProfileShape;
  /** Stop the test as soon as an SLA is crossed (after delayAbortSeconds of data). */
  abortOnFail: boolean;
  delayAbortSeconds: number;
  /** Correctness rates must be exactly 1 (smoke) or above 0.99 (every other profile). */
  strictCorrectness: boolean;
}

/** The load shapes, as data. Durations are at TIME_SCALE=1. */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  smoke: {
    shape: { executor: 'shared-iterations', vus: 2, iterations: 4, maxSeconds: 120 },
    abortOnFail: false, delayAbortSeconds: 0, strictCorrectness: true,
  },
  load: {
    shape: { executor: 'ramping-vus', startVUs: 0, stages: [{ seconds: 60, target: 20 }, { seconds: 180, target: 20 }, { seconds: 30, target: 0 }] },
    abortOnFail: false, delayAbortSeconds: 0, strictCorrectness: false,
  },
  stress: {
    shape: {
      executor: 'ramping-vus', startVUs: 0,
      stages: [{ seconds: 120, target: 100 }, { seconds: 120, target: 200 }, { seconds: 180, target: 200 }, { seconds: 60, target: 0 }],
    },
    abortOnFail: true, delayAbortSeconds: 30, strictCorrectness: false,
  },
  soak: {
    shape: { executor: 'constant-vus', vus: 20, seconds: 3600 },
    abortOnFail: false, delayAbortSeconds: 0, strictCorrectness: false,
  },
  spike: {
    shape: {
      executor: 'ramping-vus', startVUs: 2,
      stages: [{ seconds: 30, target: 2 }, { seconds: 10, target: 200 }, { seconds: 60, target: 200 }, { seconds: 10, target: 2 }, { seconds: 30, target: 2 }],
    },
    abortOnFail: false, delayAbortSeconds: 0, strictCorrectness: false,
  },
  breakpoint: {
    shape: { executor: 'ramping-arrival-rate', startRate: 1, preAllocatedVUs: 20, maxVUs: 2000, stages: [{ seconds: 600, target: 200 }] },
    abortOnFail: true, delayAbortSeconds: 30, strictCorrectness: false,
  },
};

const ms = (value: number): string => `${Math.max(1, Math.round(value))}ms`;

function peakOf(shape: ProfileShape): number {
  switch (shape.executor) {
    case 'shared-iterations':
    case 'constant-vus':
      return shape.vus;
    case 'ramping-vus':
      return Math.max(shape.startVUs, ...shape.stages.map((stage) => stage.target));
    case 'ramping-arrival-rate':
      return shape.maxVUs;
  }
}

function totalSecondsOf(shape: ProfileShape): number {
  switch (shape.executor) {
    case 'shared-iterations':
      return shape.maxSeconds;
    case 'constant-vus':
      return shape.seconds;
    default:
      return shape.stages.reduce((sum, stage) => sum + stage.seconds, 0);
  }
}

/**
 * The k6 scenario for a profile, with the overrides applied: VUS scales the peak,
 * DURATION replaces the total (stages keep their proportions), ITERATIONS switches to
 * shared-iterations; TIME_SCALE multiplies every profile duration, not an explicit DURATION.
 * Every executor is bounded: a duration or maxDuration, plus gracefulStop for the run in flight.
 */
export function scenarioFor(config: Config, exec = 'default'): Scenario {
  const profile = PROFILES[config.profile];
  const shape = profile.shape;
  const total = totalSecondsOf(shape) * 1000;
  const timeFactor = config.durationMs !== undefined ? config.durationMs / total : config.timeScale;
  const vuFactor = config.vus !== undefined ? config.vus / peakOf(shape) : 1;
  const vus = (n: number): number => (n === 0 ? 0 : Math.max(1, Math.round(n * vuFactor)));
  const stages = (list: Stage[]): Array<{ duration: string; target: number }> =>
    list.map((stage) => ({ duration: ms(stage.seconds * 1000 * timeFactor), target: shape.executor === 'ramping-vus' ? vus(stage.target) : stage.target }));
  // Long enough for the run in flight to finish or time out by itself.
  const graceful = ms(config.runTimeoutMs + config.httpTimeoutMs + 5000);
  const common = { exec, gracefulStop: graceful };

  if (config.iterations !== undefined) {
    return {
      ...common, executor: 'shared-iterations', iterations: config.iterations,
      vus: Math.min(config.iterations, config.vus ?? (shape.executor === 'shared-iterations' ? shape.vus : Math.min(peakOf(shape), 10))),
      maxDuration: ms(total * timeFactor),
    };
  }
  switch (shape.executor) {
    case 'shared-iterations':
      return { ...common, executor: 'shared-iterations', vus: vus(shape.vus), iterations: shape.iterations, maxDuration: ms(shape.maxSeconds * 1000 * timeFactor) };
    case 'constant-vus':
      return { ...common, executor: 'constant-vus', vus: vus(shape.vus), duration: ms(shape.seconds * 1000 * timeFactor) };
    case 'ramping-vus':
      return { ...common, executor: 'ramping-vus', startVUs: vus(shape.startVUs), stages: stages(shape.stages), gracefulRampDown: graceful };
    case 'ramping-arrival-rate':
      return {
        ...common, executor: 'ramping-arrival-rate', startRate: shape.startRate, timeUnit: '1s',
        preAllocatedVUs: Math.min(shape.preAllocatedVUs, vus(shape.maxVUs)), maxVUs: vus(shape.maxVUs), stages: stages(shape.stages),
      };
  }
}
