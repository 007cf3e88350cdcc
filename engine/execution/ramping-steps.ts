import type { Stage } from '../options/test-options.ts';

/** From `at` ms after the executor's start, `vus` VUs should be running. */
export interface Step {
  at: number;
  vus: number;
}

/**
 * How many VUs ramping-vus runs over time (k6's "raw execution steps"): a linear ramp between stage targets, in
 * whole VUs. Ramping up from a to b over d, VU a+k starts at k·d/(b−a); ramping down, the k-th VU stops at
 * k·d/(a−b). `scale` maps a whole-test VU count to this instance's share (execution segments). With zeroEnd, a
 * last step brings the count to 0 when the stages end.
 */
export function rampingSteps(startVUs: number, stages: readonly Stage[], zeroEnd: boolean, scale: (vus: number) => number = (vus) => vus): Step[] {
  const steps: Step[] = [{ at: 0, vus: scale(startVUs) }];
  const add = (at: number, vus: number): void => {
    if (steps[steps.length - 1]!.vus !== vus) steps.push({ at, vus });
  };
  let from = startVUs;
  let stageEnd = 0;
  for (const stage of stages) {
    stageEnd += stage.durationMs;
    const to = stage.target;
    const diff = to - from;
    if (diff === 0) continue;
    if (stage.durationMs === 0) {
      add(stageEnd, scale(to));
    } else if (diff > 0) {
      for (let vus = from + 1; vus <= to; vus++) add(stageEnd - (stage.durationMs * (to - vus)) / diff, scale(vus));
    } else {
      for (let vus = from; vus > to; vus--) add(stageEnd - (stage.durationMs * (to - vus + 1)) / diff, scale(vus - 1));
    }
    from = to;
  }
  if (zeroEnd && steps[steps.length - 1]!.vus !== 0) steps.push({ at: stageEnd, vus: 0 });
  return steps;
}

/**
 * The most VUs that may still be running at each moment once VUs that ramped down get `gracefulRampDown` to finish
 * their iteration (k6's "graceful steps"). A VU above this count is hard-stopped. The last step, at the end of the
 * stages plus gracefulStop, is 0.
 */
export function gracefulSteps(raw: readonly Step[], gracefulRampDownMs: number, endOffset: number): Step[] {
  let steps: Step[] = [...raw];
  if (gracefulRampDownMs > 0) steps = reserveForRampDowns(raw, gracefulRampDownMs, endOffset);
  if (steps[steps.length - 1]!.vus !== 0) steps.push({ at: endOffset, vus: 0 });
  return steps;
}

function reserveForRampDowns(raw: readonly Step[], gracefulRampDownMs: number, endOffset: number): Step[] {
  const result: Step[] = [];
  let lastPlanned = 0;
  let furthestDownStep = 0;
  for (let i = 0; i < raw.length; i++) {
    const step = raw[i]!;
    if (i === 0 || step.vus > lastPlanned) {
      result.push(step);
      lastPlanned = step.vus;
      continue;
    }
    if (step.vus === lastPlanned) continue;
    // Going down: the VUs above step.vus may finish their iteration until `deadline`, unless the count climbs back
    // to lastPlanned before then, in which case they simply go on.
    const deadline = step.at + gracefulRampDownMs;
    let climbedBack = false;
    let stillDescending = true;
    for (let j = Math.max(i + 1, furthestDownStep); j < raw.length; j++) {
      const ahead = raw[j]!;
      if (ahead.at > deadline) break;
      if (ahead.vus >= lastPlanned) {
        i = j - 1;
        climbedBack = true;
        break;
      }
      if (stillDescending) {
        if (raw[j - 1]!.vus > ahead.vus) furthestDownStep = j;
        else stillDescending = false;
      }
    }
    if (climbedBack) continue;
    if (deadline >= endOffset) break;
    result.push({ at: deadline, vus: step.vus });
    lastPlanned = step.vus;
  }
  return result;
}

export const maxVusOf = (steps: readonly Step[]): number => steps.reduce((max, step) => Math.max(max, step.vus), 0);
