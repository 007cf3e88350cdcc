import type { ScenarioOptions } from '../options/test-options.ts';

/** How long a scenario runs before its gracefulStop: its duration, its maxDuration, or its stages end to end. */
export function scenarioLength(scenario: ScenarioOptions): number {
  switch (scenario.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return scenario.maxDurationMs;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return scenario.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return scenario.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
  }
}
