import type { Stage } from '../options/test-options.ts';

/** Whether this instance starts the whole test's g-th iteration: exactly one segment of a sequence owns each. */
export type Owns = (g: number) => boolean;

const everything: Owns = () => true;

/** constant-arrival-rate's start times, ms: `rate` per `timeUnit`, the first at 0, until `duration`. */
export function* constantArrivals(rate: number, timeUnitMs: number, durationMs: number, owns: Owns = everything): Generator<number> {
  const period = timeUnitMs / rate;
  for (let g = 0; ; g++) {
    const at = g * period;
    if (at >= durationMs) return;
    if (owns(g)) yield at;
  }
}

/**
 * ramping-arrival-rate's start times, ms. The rate goes linearly from stage to stage; the g-th iteration starts when
 * the area under the rate curve reaches g + 1 (so at a constant rate r, the first starts at 1/r, not at 0).
 */
export function* rampingArrivals(startRate: number, timeUnitMs: number, stages: readonly Stage[], owns: Owns = everything): Generator<number> {
  let from = startRate / timeUnitMs;
  let stageStart = 0;
  let doneSoFar = 0;
  let g = 0;
  for (const stage of stages) {
    const to = stage.target / timeUnitMs;
    const length = stage.durationMs;
    const stageArea = length * (from + to) / 2;
    const endCount = doneSoFar + stageArea;
    for (; g + 1 <= endCount + 1e-9; g++) {
      if (!owns(g)) continue;
      const x = g + 1 - doneSoFar;
      const offset = from === to ? x / to : (length * (Math.sqrt(from * from + (2 * x * (to - from)) / length) - from)) / (to - from);
      yield stageStart + Math.max(0, Math.min(length, offset));
    }
    doneSoFar = endCount;
    from = to;
    stageStart += length;
  }
}

export const stagesLength = (stages: readonly Stage[]): number => stages.reduce((sum, stage) => sum + stage.durationMs, 0);
