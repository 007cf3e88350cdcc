import type { Scenario } from 'k6/options';
import type { Config } from './config.ts';
import { k6Duration, parseDurationMs } from './duration.ts';
import type { ProfileName } from './env-options.ts';

/** One step of a ramp, in k6's words: reach `target` VUs (iterations per second for arrival rates) over `duration`. */
export interface Stage {
  duration: string;
  target: number;
}

/** A k6 executor's own options, as `options.scenarios` takes them, at TIME_SCALE=1. */
export type ProfileShape =
  | { executor: 'shared-iterations'; vus: number; iterations: number; maxDuration: string }
  | { executor: 'constant-vus'; vus: number; duration: string }
  | { executor: 'ramping-vus'; startVUs: number; stages: Stage[] }
  | { executor: 'ramping-arrival-rate'; startRate: number; preAllocatedVUs: number; maxVUs: number; stages: Stage[] }
  | { executor: 'constant-arrival-rate'; rate: number; duration: string; preAllocatedVUs: number; maxVUs: number };

export interface Profile {
  shape: ProfileShape;
  /** Stop the test as soon as an SLA is crossed, once this much data is in (k6's delayAbortEval). */
  abortAfter?: string;
}

/**
 * The profiles, built when asked for (at init, for the options and thresholds). A table at module level would be
 * kept by every VU for the whole test, about 14 KB each; built here, it is garbage once the options are made.
 */
export const profiles = (): Readonly<Record<ProfileName, Profile>> => ({
  // Does it work at all? Four iterations by two users, before anyone spends time on load.
  smoke: { shape: { executor: 'shared-iterations', vus: 2, iterations: 4, maxDuration: '2m' } },
  // Does it hold its SLAs at the traffic it expects? Ramp to 20 users, hold them 3 minutes.
  load: { shape: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1m', target: 20 }, { duration: '3m', target: 20 }, { duration: '30s', target: 0 }] } },
  // Does it hold at ten times that, and where does it bend? 100 then 200 users; stops at the first broken SLA.
  stress: {
    shape: {
      executor: 'ramping-vus', startVUs: 0,
      stages: [{ duration: '2m', target: 100 }, { duration: '2m', target: 200 }, { duration: '3m', target: 200 }, { duration: '1m', target: 0 }],
    },
    abortAfter: '30s',
  },
  // Does it last? 20 users for an hour: leaks, expiring tokens, growing tables.
  soak: { shape: { executor: 'constant-vus', vus: 20, duration: '1h' } },
  // Does it survive a sudden crowd and recover? 2 → 200 users in 10 s, a minute there, back to 2.
  spike: {
    shape: {
      executor: 'ramping-vus', startVUs: 2,
      stages: [{ duration: '30s', target: 2 }, { duration: '10s', target: 200 }, { duration: '1m', target: 200 }, { duration: '10s', target: 2 }, { duration: '30s', target: 2 }],
    },
  },
  // How much can it take? Arrivals climb to 200 iterations/s over 10 minutes; stops at the first broken SLA.
  breakpoint: {
    shape: { executor: 'ramping-arrival-rate', startRate: 1, preAllocatedVUs: 20, maxVUs: 2000, stages: [{ duration: '10m', target: 200 }] },
    abortAfter: '30s',
  },
  // Does it hold its SLAs when RATE sessions a second arrive, however slow it gets? 10/s for a minute by default; the VU
  // pool grows with RATE. `agent-sla capacity` runs it step by step.
  rate: { shape: { executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 50, maxVUs: 500 } },
});

const msOf = (duration: string): number => parseDurationMs(duration) ?? 0;

function peakOf(shape: ProfileShape): number {
  switch (shape.executor) {
    case 'shared-iterations':
    case 'constant-vus':
      return shape.vus;
    case 'ramping-vus':
      return Math.max(shape.startVUs, ...shape.stages.map((stage) => stage.target));
    case 'ramping-arrival-rate':
    case 'constant-arrival-rate':
      return shape.maxVUs;
  }
}

/**
 * k6 takes a whole number of iterations per timeUnit: 2.5/s is 25 per 10s. The shortest timeUnit that keeps the rate
 * exact (to a thousandth of an iteration per second) is used.
 */
export function perTimeUnit(perSecond: number): { rate: number; timeUnitS: number } {
  for (const timeUnitS of [1, 10, 100]) {
    const rate = perSecond * timeUnitS;
    if (Math.abs(rate - Math.round(rate)) < 1e-6) return { rate: Math.round(rate), timeUnitS };
  }
  return { rate: Math.max(1, Math.round(perSecond * 1000)), timeUnitS: 1000 };
}

/** The profile's length at TIME_SCALE=1, ms. */
export function profileMs(shape: ProfileShape): number {
  switch (shape.executor) {
    case 'shared-iterations':
      return msOf(shape.maxDuration);
    case 'constant-vus':
    case 'constant-arrival-rate':
      return msOf(shape.duration);
    default:
      return shape.stages.reduce((sum, stage) => sum + msOf(stage.duration), 0);
  }
}

/** What scenarioFor reads from the configuration. */
export type ProfileOverrides = Pick<Config, 'profile' | 'vus' | 'durationMs' | 'iterations' | 'timeScale' | 'runTimeoutMs' | 'httpTimeoutMs'> & Partial<Pick<Config, 'rate'>>;

/**
 * The k6 scenario for the config's profile, with its overrides (k6 `-e`, or `agent-sla run`'s flags):
 * - TIME_SCALE multiplies every duration of the profile (0.1: ten times shorter);
 * - DURATION replaces the profile's total length and the stages keep their proportions; TIME_SCALE then
 *   no longer applies, since the length was given;
 * - VUS scales the peak to that many users, every stage target with it (for arrival rates, the VU pool,
 *   not the rate; for `rate`, the whole pool, every VU initialised before the load);
 * - RATE sets the arrival rate, per second: `rate`'s constant rate, its VU pool scaled with it; `breakpoint`'s peak,
 *   every stage with it;
 * - ITERATIONS runs exactly that many iterations (shared-iterations), by VUS users (default: the profile's,
 *   at most 10 for the ramping ones), within the profile's length scaled as above.
 * Every executor is bounded: a duration or maxDuration, plus gracefulStop for the run in flight.
 */
export function scenarioFor(config: ProfileOverrides, exec = 'default'): Scenario {
  const shape = profiles()[config.profile].shape;
  const total = profileMs(shape);
  const timeFactor = config.durationMs !== undefined ? config.durationMs / total : config.timeScale;
  const vuFactor = config.vus !== undefined ? config.vus / peakOf(shape) : 1;
  const vus = (n: number): number => (n === 0 ? 0 : Math.max(1, Math.round(n * vuFactor)));
  const scaled = (duration: string): string => k6Duration(msOf(duration) * timeFactor);
  const stages = (list: Stage[]): Stage[] =>
    list.map((stage) => ({ duration: scaled(stage.duration), target: shape.executor === 'ramping-vus' ? vus(stage.target) : stage.target }));
  // Long enough for the run in flight to finish or time out by itself.
  const graceful = k6Duration(config.runTimeoutMs + config.httpTimeoutMs + 5000);
  const common = { exec, gracefulStop: graceful };

  if (config.iterations !== undefined) {
    const users = config.vus ?? (shape.executor === 'shared-iterations' ? shape.vus : Math.min(peakOf(shape), 10));
    return { ...common, executor: 'shared-iterations', iterations: config.iterations, vus: Math.min(config.iterations, users), maxDuration: k6Duration(total * timeFactor) };
  }
  switch (shape.executor) {
    case 'shared-iterations':
      return { ...common, executor: 'shared-iterations', vus: vus(shape.vus), iterations: shape.iterations, maxDuration: scaled(shape.maxDuration) };
    case 'constant-vus':
      return { ...common, executor: 'constant-vus', vus: vus(shape.vus), duration: scaled(shape.duration) };
    case 'ramping-vus':
      return { ...common, executor: 'ramping-vus', startVUs: vus(shape.startVUs), stages: stages(shape.stages), gracefulRampDown: graceful };
    case 'ramping-arrival-rate': {
      const peak = Math.max(shape.startRate, ...shape.stages.map((stage) => stage.target));
      const { timeUnitS } = perTimeUnit(config.rate ?? peak);
      const perUnit = (target: number): number => Math.round(target * ((config.rate ?? peak) / peak) * timeUnitS);
      return {
        ...common, executor: 'ramping-arrival-rate', startRate: Math.min(shape.startRate * timeUnitS, perUnit(peak)), timeUnit: `${timeUnitS}s`,
        preAllocatedVUs: Math.min(shape.preAllocatedVUs, vus(shape.maxVUs)), maxVUs: vus(shape.maxVUs),
        stages: shape.stages.map((stage) => ({ duration: scaled(stage.duration), target: perUnit(stage.target) })),
      };
    }
    case 'constant-arrival-rate': {
      const perSecond = config.rate ?? shape.rate;
      const { rate, timeUnitS } = perTimeUnit(perSecond);
      const pool = (n: number): number => Math.max(1, Math.ceil((n * perSecond) / shape.rate));
      return {
        ...common, executor: 'constant-arrival-rate', rate, timeUnit: `${timeUnitS}s`, duration: scaled(shape.duration),
        preAllocatedVUs: config.vus ?? pool(shape.preAllocatedVUs), maxVUs: config.vus ?? pool(shape.maxVUs),
      };
    }
  }
}
