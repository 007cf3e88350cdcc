import { defaultInfluxUrl, influxAnswers } from './influx-ping.ts';
import { executeRun, summaryLines } from './execute-run.ts';
import { knownProfiles } from './library-options.ts';
import { optionHelpLines, parseCommand, type OptionTable } from './option-table.ts';
import { resolveRunPlan } from './run-plan.ts';

export const demoScenario = 'journey';
export const demoProfile = 'smoke';

export const demoOptions = {
  quiet: { type: 'boolean', short: 'q', description: 'no progress' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

/**
 * `npm start`: provisions k6 and builds on first use, starts the embedded target, runs the journey
 * smoke profile, prints the SLA table (k6's summary) and where the reports are, exits with the verdict.
 * When an InfluxDB answers on its default port, the run streams there too.
 */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('demo', argv, demoOptions);
  if (values.help) {
    console.log(['Usage: agent-sla demo (npm start)', '', `Runs ${demoScenario} (${demoProfile}) against the embedded reference target.`, '', 'Options:', ...optionHelpLines(demoOptions)].join('\n'));
    return 0;
  }
  const influx = (await influxAnswers(defaultInfluxUrl)) ? defaultInfluxUrl : undefined;
  const plan = resolveRunPlan(
    'demo',
    { values: { profile: demoProfile, quiet: values.quiet, ...(influx ? { influx } : {}) }, positionals: [demoScenario], passthrough: [] },
    knownProfiles(),
  );
  const result = await executeRun(plan);
  for (const line of summaryLines(result)) console.log(line);
  return result.exitCode;
}
