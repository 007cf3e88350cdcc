import { executeRun, jsonResult, summaryLines } from './execute-run.ts';
import { envHelpLines, knownProfiles } from './library-options.ts';
import { parseCommand } from './option-table.ts';
import { resolvedOptions } from './print-options.ts';
import { runHelp, runOptions } from './run-options.ts';
import { resolveRunPlan } from './run-plan.ts';
import { scenarioNames } from './scenarios.ts';

export async function runCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand('run', argv, runOptions);
  if (parsed.values.help) {
    console.log(runHelp(scenarioNames(), envHelpLines()));
    return 0;
  }
  const plan = resolveRunPlan('run', parsed, knownProfiles());
  if (parsed.values['print-options']) {
    console.log(JSON.stringify(await resolvedOptions(plan), null, 2));
    return 0;
  }
  const result = await executeRun(plan);
  if (plan.json) console.log(jsonResult(result));
  else for (const line of summaryLines(result)) console.log(line);
  return result.exitCode;
}
