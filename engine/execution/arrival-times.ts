import type { Stage } from '../options/test-options.ts';

/** Whether this instance starts the whole test's g-th iteration: exactly one segment of a sequence owns each. */
export type Owns = (g: number) => boolean;

/**
 * The gap, in expected iterations, from one arrival to the next: 1 for k6's evenly spaced arrivals; an exponential
 * draw of mean 1 for Poisson arrivals (--arrivals poisson), as real users arrive. Every instance of a distributed test
 * draws the same sequence from the same seed, so that each keeps exactly its own share of one schedule.
 */
export type ArrivalGaps = () => number;

export const evenGaps: ArrivalGaps = () => 1;

/** Exponential gaps of mean 1 from a seeded generator (mulberry32), so that a test's arrivals can be repeated. */
export function poissonGaps(seed: number): ArrivalGaps {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const uniform = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return -Math.log(1 - uniform);
  };
}

const everything: Owns = () => true;

/**
 * constant-arrival-rate's start times, ms: `rate` per `timeUnit` until `duration`. Evenly spaced, the first starts at
 * 0, as in k6; with Poisson gaps, the first starts after the first gap.
 */
export function* constantArrivals(rate: number, timeUnitMs: number, durationMs: number, owns: Owns = everything, gaps: ArrivalGaps = evenGaps): Generator<number> {
  const period = timeUnitMs / rate;
  let area = gaps === evenGaps ? 0 : gaps();
  for (let g = 0; ; g++) {
    const at = area * period;
    if (at >= durationMs) return;
    if (owns(g)) yield at;
    area += gaps();
  }
}

/**
 * ramping-arrival-rate's start times, ms. The rate goes linearly from stage to stage; the g-th iteration starts when
 * the area under the rate curve reaches its cumulative gap: g + 1 for even gaps (so at a constant rate r, the first
 * starts at 1/r, not at 0), a sum of exponential draws for Poisson arrivals (a non-homogeneous Poisson process).
 */
export function* rampingArrivals(startRate: number, timeUnitMs: number, stages: readonly Stage[], owns: Owns = everything, gaps: ArrivalGaps = evenGaps): Generator<number> {
  let from = startRate / timeUnitMs;
  let stageStart = 0;
  let doneSoFar = 0;
  let g = 0;
  let area = gaps();
  for (const stage of stages) {
    const to = stage.target / timeUnitMs;
    const length = stage.durationMs;
    const endCount = doneSoFar + (length * (from + to)) / 2;
    for (; area <= endCount + 1e-9; g++, area += gaps()) {
      if (!owns(g)) continue;
      const x = area - doneSoFar;
      const offset = from === to ? x / to : (length * (Math.sqrt(from * from + (2 * x * (to - from)) / length) - from)) / (to - from);
      yield stageStart + Math.max(0, Math.min(length, offset));
    }
    doneSoFar = endCount;
    from = to;
    stageStart += length;
  }
}
