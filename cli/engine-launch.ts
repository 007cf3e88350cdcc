import { mkdirSync } from 'node:fs';
import { runTest } from '../engine/run/run-test.ts';
import { parseExecArgs } from './exec-options.ts';
import { influxOutputArgs } from './influx-output.ts';
import type { K6Launch, K6Outcome } from './k6-launch.ts';
import { readSlaResults, reportPaths } from './run-outcome.ts';
import type { RunPlan } from './run-plan.ts';

/**
 * `k6 run`'s arguments for one run of the plan's bundle against targetUrl: the plan's variables, the InfluxDB
 * output, the testid tag, then the launch's and the plan's own flags. The same list serves agent-sla's engine
 * (parsed as `agent-sla exec` parses it) and a user's own k6.
 */
export function runArguments(plan: RunPlan, targetUrl: string, launch: K6Launch): { args: string[]; env: Record<string, string> } {
  const influx = plan.influx ? influxOutputArgs(plan.influx, plan.testid) : undefined;
  const env: Record<string, string> = { ...plan.env, SUMMARY_DIR: launch.summaryDir, BASE_URL: targetUrl };
  const args = [
    ...(launch.quiet ? ['--quiet'] : []),
    ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    // The InfluxDB output's arguments carry the testid tag themselves.
    ...(influx?.args ?? ['--tag', `testid=${plan.testid}`]),
    ...(launch.extraArgs ?? []),
    ...plan.k6Args,
    plan.scenario.output,
  ];
  return { args, env: influx?.env ?? {} };
}

/** One run of the plan's bundle on agent-sla's engine, in this process; resolves with k6's exit code and the reports. */
export async function launchEngine(plan: RunPlan, targetUrl: string, launch: K6Launch, signal?: AbortSignal): Promise<K6Outcome> {
  mkdirSync(launch.summaryDir, { recursive: true });
  const { args, env } = runArguments(plan, targetUrl, launch);
  const { config } = parseExecArgs(args, { ...process.env, ...env }, process.cwd());
  if (launch.workers !== undefined) config.workers = launch.workers;
  const write = (target: K6Launch['stdout']) => (text: string): void => {
    if (target === 'inherit') process.stdout.write(text);
    else if (target === 'stderr') process.stderr.write(text);
  };
  const exitCode = await runTest(
    config,
    { stdout: write(launch.stdout), stderr: (text) => void process.stderr.write(text), stdoutIsTTY: launch.stdout === 'inherit' && process.stdout.isTTY === true, stderrIsTTY: process.stderr.isTTY === true },
    signal,
  );
  const reports = reportPaths(launch.summaryDir);
  return { exitCode, reports, slas: readSlaResults(reports) };
}
