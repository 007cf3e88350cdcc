import { accessSync, constants, mkdirSync } from 'node:fs';
import { runArguments } from './engine-launch.ts';
import { runK6Process } from './k6-process.ts';
import { PreflightError } from './preflight-error.ts';
import { readSlaResults, reportPaths, type ReportPaths, type SlaResult } from './run-outcome.ts';
import type { RunPlan } from './run-plan.ts';

export interface K6Launch {
  /** Where this run's handleSummary writes (SUMMARY_DIR). */
  summaryDir: string;
  quiet: boolean;
  stdout: 'inherit' | 'stderr' | 'ignore';
  /** More `k6 run` flags, before the plan's own pass-through flags. */
  extraArgs?: string[];
  /** Worker threads for agent-sla's engine (one per core by default). */
  workers?: number;
}

export interface K6Outcome {
  exitCode: number;
  reports: ReportPaths;
  slas: SlaResult[];
}

/** A k6 the user installed themselves (--k6 PATH or K6_BIN): agent-sla runs it, and never installs one. */
export function checkUserK6(path: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new PreflightError(`--k6 ${path}: not an executable file (give the path of your own k6, or leave --k6 out to use agent-sla's engine)`);
  }
  return path;
}

/** One `k6 run` of the plan's bundle on the user's own k6, streaming to InfluxDB when the plan says so. */
export async function launchK6(plan: RunPlan, k6Path: string, targetUrl: string, launch: K6Launch): Promise<K6Outcome> {
  mkdirSync(launch.summaryDir, { recursive: true });
  const { args, env } = runArguments(plan, targetUrl, launch);
  const exitCode = await runK6Process({ binary: k6Path, args: ['run', '--no-usage-report', ...args], env: { ...process.env, K6_NO_USAGE_REPORT: 'true', ...env }, stdout: launch.stdout });
  const reports = reportPaths(launch.summaryDir);
  return { exitCode, reports, slas: readSlaResults(reports) };
}
