import { scaleCount, type ExecutionSegment } from '../options/execution-segment.ts';
import type { ScenarioOptions } from '../options/test-options.ts';
import { gracefulSteps, rampingSteps, type Step } from './ramping-steps.ts';
import { scenarioLength } from './scenario-length.ts';

export interface VuPlan {
  /** VUs to initialize before the test starts: the most the scenarios hold at once, by plan. */
  planned: number;
  /** Planned plus what arrival-rate scenarios may add mid-test (up to their maxVUs). */
  possible: number;
}

/** The VUs one scenario holds over time, from its own start, and how many more it may initialize. */
function scenarioSteps(config: ScenarioOptions, scale: (count: number) => number): { steps: Step[]; unplanned: number } {
  const end = (regular: number): Step => ({ at: regular + config.gracefulStopMs, vus: 0 });
  switch (config.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return { steps: [{ at: 0, vus: scale(config.vus) }, end(config.maxDurationMs)], unplanned: 0 };
    case 'constant-vus':
      return { steps: [{ at: 0, vus: scale(config.vus) }, end(config.durationMs)], unplanned: 0 };
    case 'ramping-vus':
      return { steps: gracefulSteps(rampingSteps(config.startVUs, config.stages, false, scale), config.gracefulRampDownMs, scenarioLength(config) + config.gracefulStopMs), unplanned: 0 };
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const pre = scale(config.preAllocatedVUs);
      return { steps: [{ at: 0, vus: pre }, end(scenarioLength(config))], unplanned: scale(config.maxVUs) - pre };
    }
  }
}

/**
 * How many VUs the test needs: scenarios that overlap in time (startTime, length, gracefulStop) add up, as k6
 * reserves them; VUs a scenario gave back serve the scenarios that start later.
 */
export function planVus(scenarios: readonly ScenarioOptions[], segment: ExecutionSegment): VuPlan {
  const scale = (count: number): number => scaleCount(segment, count);
  const changes: Array<{ at: number; delta: number; unplanned: number }> = [];
  for (const config of scenarios) {
    const { steps, unplanned } = scenarioSteps(config, scale);
    let previous = 0;
    for (const [index, step] of steps.entries()) {
      changes.push({ at: config.startTimeMs + step.at, delta: step.vus - previous, unplanned: index === 0 ? unplanned : index === steps.length - 1 ? -unplanned : 0 });
      previous = step.vus;
    }
  }
  // At one instant, VUs given back count before VUs taken, as k6 returns them first.
  changes.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let planned = 0;
  let unplanned = 0;
  let maxPlanned = 0;
  let maxPossible = 0;
  for (const change of changes) {
    planned += change.delta;
    unplanned += change.unplanned;
    maxPlanned = Math.max(maxPlanned, planned);
    maxPossible = Math.max(maxPossible, planned + unplanned);
  }
  return { planned: maxPlanned, possible: Math.max(maxPossible, maxPlanned) };
}
