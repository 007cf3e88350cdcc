import { formatDuration } from '../options/duration.ts';
import type { ScenarioOptions, TestOptions } from '../options/test-options.ts';
import { scenarioLength } from '../execution/scenario-length.ts';
import type { VuPlan } from '../execution/vu-plan.ts';
import type { Output } from '../outputs/output.ts';
import type { RunConfig } from './run-config.ts';

/** What k6 prints before a test starts: where the script runs, its outputs, and each scenario in one line. */
export function banner(config: RunConfig, options: TestOptions, outputs: readonly Output[], plan: VuPlan): string {
  const scenarios = Object.entries(options.scenarios);
  const longest = Math.max(0, ...scenarios.map(([, scenario]) => scenario.startTimeMs + scenarioLength(scenario) + scenario.gracefulStopMs));
  const segment = config.segment.to - config.segment.from;
  const lines = [
    '',
    '  agent-sla engine (k6-compatible)',
    '',
    `     execution: local${segment < 1 ? ` (segment ${config.segment.from}:${config.segment.to})` : ''}`,
    `        script: ${config.scriptPath}`,
    `        output: ${outputs.length === 0 ? '-' : outputs.map((output) => output.description).join(', ')}`,
    '',
    `     scenarios: (${(segment * 100).toFixed(2)}%) ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}, ${plan.possible} max VUs, ${formatDuration(longest)} max duration (incl. graceful stop):`,
    ...scenarios.map(([name, scenario]) => `              * ${name}: ${describe(scenario)}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function describe(scenario: ScenarioOptions): string {
  const facts = [`gracefulStop: ${formatDuration(scenario.gracefulStopMs)}`];
  if (scenario.exec !== 'default') facts.unshift(`exec: ${scenario.exec}`);
  if (scenario.startTimeMs > 0) facts.unshift(`startTime: ${formatDuration(scenario.startTimeMs)}`);
  const tail = ` (${facts.join(', ')})`;
  switch (scenario.executor) {
    case 'shared-iterations':
      return `${scenario.iterations} iterations shared among ${scenario.vus} VUs (maxDuration: ${formatDuration(scenario.maxDurationMs)}, ${facts.join(', ')})`;
    case 'per-vu-iterations':
      return `${scenario.iterations} iterations for each of ${scenario.vus} VUs (maxDuration: ${formatDuration(scenario.maxDurationMs)}, ${facts.join(', ')})`;
    case 'constant-vus':
      return `${scenario.vus} looping VUs for ${formatDuration(scenario.durationMs)}${tail}`;
    case 'ramping-vus':
      return `Up to ${Math.max(scenario.startVUs, ...scenario.stages.map((stage) => stage.target))} looping VUs for ${formatDuration(scenarioLength(scenario))} over ${scenario.stages.length} stages (gracefulRampDown: ${formatDuration(scenario.gracefulRampDownMs)}, ${facts.join(', ')})`;
    case 'constant-arrival-rate':
      return `${((scenario.rate * 1000) / scenario.timeUnitMs).toFixed(2)} iterations/s for ${formatDuration(scenario.durationMs)} (maxVUs: ${scenario.preAllocatedVUs}${scenario.maxVUs > scenario.preAllocatedVUs ? `-${scenario.maxVUs}` : ''}, ${facts.join(', ')})`;
    case 'ramping-arrival-rate':
      return `Up to ${((Math.max(scenario.startRate, ...scenario.stages.map((stage) => stage.target)) * 1000) / scenario.timeUnitMs).toFixed(2)} iterations/s for ${formatDuration(scenarioLength(scenario))} over ${scenario.stages.length} stages (maxVUs: ${scenario.preAllocatedVUs}${scenario.maxVUs > scenario.preAllocatedVUs ? `-${scenario.maxVUs}` : ''}, ${facts.join(', ')})`;
  }
}
