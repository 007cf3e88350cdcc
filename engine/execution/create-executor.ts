import type { ExecutionSegment } from '../options/execution-segment.ts';
import { scaleCount } from '../options/execution-segment.ts';
import type { ScenarioOptions } from '../options/test-options.ts';
import { ArrivalRate } from './arrival-rate.ts';
import { constantArrivals, evenGaps, rampingArrivals, type ArrivalGaps, type Owns } from './arrival-times.ts';
import type { Executor, ScenarioCounters } from './context.ts';
import { ConstantVus } from './constant-vus.ts';
import { PerVuIterations } from './per-vu-iterations.ts';
import { RampingVus } from './ramping-vus.ts';
import { scenarioLength } from './scenario-length.ts';
import { SharedIterations } from './shared-iterations.ts';

/** The executor of one scenario, its counts scaled to this instance's execution segment. */
export function createExecutor(config: ScenarioOptions, scenario: ScenarioCounters, segment: ExecutionSegment, gaps: ArrivalGaps = evenGaps): Executor {
  const scale = (count: number): number => scaleCount(segment, count);
  const owns: Owns = (g) => scale(g + 1) - scale(g) === 1;
  switch (config.executor) {
    case 'shared-iterations':
      return new SharedIterations(config, scenario, scale(config.vus), scale(config.iterations));
    case 'per-vu-iterations':
      return new PerVuIterations(config, scenario, scale(config.vus));
    case 'constant-vus':
      return new ConstantVus(config, scenario, scale(config.vus));
    case 'ramping-vus':
      return new RampingVus(config, scenario, scale);
    case 'constant-arrival-rate':
      return new ArrivalRate(
        {
          times: constantArrivals(config.rate, config.timeUnitMs, config.durationMs, owns, gaps),
          durationMs: config.durationMs,
          gracefulStopMs: config.gracefulStopMs,
          preAllocatedVUs: scale(config.preAllocatedVUs),
          maxVUs: scale(config.maxVUs),
          peakRatePerSecond: ((config.rate * 1000) / config.timeUnitMs) * (segment.to - segment.from),
        },
        scenario,
      );
    case 'ramping-arrival-rate':
      return new ArrivalRate(
        {
          times: rampingArrivals(config.startRate, config.timeUnitMs, config.stages, owns, gaps),
          durationMs: scenarioLength(config),
          gracefulStopMs: config.gracefulStopMs,
          preAllocatedVUs: scale(config.preAllocatedVUs),
          maxVUs: scale(config.maxVUs),
          peakRatePerSecond: ((Math.max(config.startRate, ...config.stages.map((stage) => stage.target)) * 1000) / config.timeUnitMs) * (segment.to - segment.from),
        },
        scenario,
      );
  }
}
