import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const slaFailedExitCode = 99;

export type Verdict = 'pass' | 'fail' | 'error';

export interface SlaResult {
  name: string;
  ok: boolean;
  [field: string]: unknown;
}

export interface ReportPaths {
  dir: string;
  junit?: string;
  summaryJson?: string;
  summaryMd?: string;
}

export function verdictOf(exitCode: number): Verdict {
  if (exitCode === 0) return 'pass';
  if (exitCode === slaFailedExitCode) return 'fail';
  return 'error';
}

export function reportPaths(dir: string): ReportPaths {
  const present = (name: string): string | undefined => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
  return { dir, junit: present('junit.xml'), summaryJson: present('sla-summary.json'), summaryMd: present('sla-summary.md') };
}

/** The SLA rows handleSummary wrote to sla-summary.json; empty when k6 wrote none. */
export function readSlaResults(paths: ReportPaths): SlaResult[] {
  if (!paths.summaryJson) return [];
  const summary = JSON.parse(readFileSync(paths.summaryJson, 'utf8')) as { slas?: SlaResult[] };
  return Array.isArray(summary.slas) ? summary.slas : [];
}

/**
 * The exit code of a single k6 run, judged as the summary judges it: k6 passes a threshold that has no samples,
 * so a run that measured nothing (sla-summary.json "passed": false, e.g. no iteration completed) exits 0 from
 * k6 but fails here with 99. Any other k6 exit code stands.
 */
export function judgedExitCode(k6ExitCode: number, paths: ReportPaths): number {
  if (k6ExitCode !== 0 || !paths.summaryJson) return k6ExitCode;
  const summary = JSON.parse(readFileSync(paths.summaryJson, 'utf8')) as { passed?: unknown };
  return summary.passed === false ? slaFailedExitCode : k6ExitCode;
}
