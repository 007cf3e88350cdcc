import { mkdirSync } from 'node:fs';
import { influxOutputArgs } from './influx-output.ts';
import { runK6Process } from './k6-process.ts';
import { readSlaResults, reportPaths, type ReportPaths, type SlaResult } from './run-outcome.ts';
import type { RunPlan } from './run-plan.ts';

export interface K6Launch {
  /** Where this process's handleSummary writes (SUMMARY_DIR). */
  summaryDir: string;
  quiet: boolean;
  stdout: 'inherit' | 'stderr' | 'ignore';
  /** More `k6 run` flags, before the plan's own pass-through flags. */
  extraArgs?: string[];
}

export interface K6Outcome {
  exitCode: number;
  reports: ReportPaths;
  slas: SlaResult[];
}

/** One `k6 run` of the plan's bundle against targetUrl, streaming to InfluxDB when the plan says so. */
export async function launchK6(plan: RunPlan, k6Path: string, targetUrl: string, launch: K6Launch): Promise<K6Outcome> {
  mkdirSync(launch.summaryDir, { recursive: true });
  const influx = plan.influx ? influxOutputArgs(plan.influx, plan.testid) : undefined;
  const env: Record<string, string> = { ...plan.env, SUMMARY_DIR: launch.summaryDir, BASE_URL: targetUrl };
  const args = [
    'run',
    '--no-usage-report',
    ...(launch.quiet ? ['--quiet'] : []),
    ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    // The InfluxDB output's arguments carry the testid tag themselves.
    ...(influx?.args ?? ['--tag', `testid=${plan.testid}`]),
    ...(launch.extraArgs ?? []),
    ...plan.k6Args,
    plan.scenario.output,
  ];
  const exitCode = await runK6Process({ binary: k6Path, args, env: { ...process.env, K6_NO_USAGE_REPORT: 'true', ...influx?.env }, stdout: launch.stdout });
  const reports = reportPaths(launch.summaryDir);
  return { exitCode, reports, slas: readSlaResults(reports) };
}
