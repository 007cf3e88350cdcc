import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Launcher } from './execute-run.ts';
import type { K6Outcome } from './k6-launch.ts';
import { runReport } from './report/run-report.ts';
import { reportPaths, slaFailedExitCode, type ReportPaths, type SlaResult } from './run-outcome.ts';
import type { RunPlan } from './run-plan.ts';

export interface SegmentOutcome {
  index: number;
  /** As passed to `k6 run --execution-segment`. */
  segment: string;
  exitCode: number;
  reports: ReportPaths;
}

export interface SegmentedOutcome extends K6Outcome {
  segments: SegmentOutcome[];
}

const fraction = (index: number, count: number): string => (index === 0 ? '0' : index === count ? '1' : `${index}/${count}`);

/** ["0:1/2", "1/2:1"] for 2, and the sequence "0,1/2,1" that tells each k6 process how the whole is cut. */
export function executionSegments(count: number): { segments: string[]; sequence: string } {
  const points = Array.from({ length: count + 1 }, (_, index) => fraction(index, count));
  return { segments: points.slice(0, -1).map((start, index) => `${start}:${points[index + 1]}`), sequence: points.join(',') };
}

/** Iterations a segment's handleSummary counted; undefined when it wrote no summary. */
function iterationsOf(reports: ReportPaths): number | undefined {
  if (!reports.summaryJson) return undefined;
  const summary = JSON.parse(readFileSync(reports.summaryJson, 'utf8')) as { iterations?: unknown };
  return typeof summary.iterations === 'number' ? summary.iterations : undefined;
}

/** 99 when any segment or the joined report failed an SLA; otherwise the first other non-zero exit, or 0. */
export function combinedExitCode(segmentCodes: number[], joinedVerdict: 'pass' | 'fail' | 'no data' | undefined): number {
  if (segmentCodes.includes(slaFailedExitCode) || joinedVerdict === 'fail') return slaFailedExitCode;
  return segmentCodes.find((code) => code !== 0) ?? 0;
}

/**
 * The plan's load cut into N execution segments, one k6 process each, all at once, one testid, all streaming to
 * the plan's InfluxDB. Only segment 0 shows k6's progress. Afterwards the SLAs are judged over all segments
 * together by the report, from InfluxDB, into the plan's summary directory.
 */
export async function runSegments(plan: RunPlan, launcher: Launcher, targetUrl: string): Promise<SegmentedOutcome> {
  if (!plan.influx) throw new Error('segments need an InfluxDB to be joined in');
  const { segments, sequence } = executionSegments(plan.segments);
  const runs = await Promise.all(
    segments.map((segment, index) =>
      launcher(plan, targetUrl, {
        summaryDir: join(plan.summaryDir, `segment-${index}`),
        quiet: plan.quiet || index > 0,
        stdout: index > 0 ? 'ignore' : plan.json ? 'stderr' : 'inherit',
        extraArgs: ['--execution-segment', segment, '--execution-segment-sequence', sequence, '--tag', `segment=${index}`],
        // The segments share this machine's cores.
        workers: Math.max(1, Math.floor(availableParallelism() / plan.segments)),
      }),
    ),
  );
  const outcomes = runs.map((run, index) => ({ index, segment: segments[index]!, exitCode: run.exitCode, reports: run.reports }));
  for (const outcome of outcomes) {
    if (outcome.exitCode !== 0) {
      process.stderr.write(`segment ${outcome.index} (${outcome.segment}) exited ${outcome.exitCode}; its reports: ${outcome.reports.dir}\n`);
    } else if (iterationsOf(outcome.reports) === 0) {
      // A segment gets no VUs when the profile has fewer VUs than segments, and exits 0 all the same (as in k6).
      process.stderr.write(`segment ${outcome.index} (${outcome.segment}) ran no iterations: the profile has fewer VUs or iterations than --segments ${plan.segments}\n`);
    }
  }
  const codes = outcomes.map((entry) => entry.exitCode);
  // Every segment stopped before a verdict (bad configuration, target down): nothing to join, k6's exit code says why.
  if (!codes.some((code) => code === 0 || code === slaFailedExitCode)) {
    return { exitCode: combinedExitCode(codes, undefined), reports: reportPaths(plan.summaryDir), slas: [], segments: outcomes };
  }
  const print = plan.json || plan.quiet ? () => undefined : (text: string) => process.stderr.write(`\njoined over ${plan.segments} segments:\n${text}\n`);
  const joined = await runReport({ testid: plan.testid, influxUrl: plan.influx, outDir: plan.summaryDir, sla: plan.slaOverrides, print });
  const slas: SlaResult[] = joined.report.slas
    .filter((entry) => entry.held !== undefined)
    .map((entry) => ({ name: entry.sla.title, ok: entry.held === true, metric: entry.sla.metric, count: entry.stats.count }));
  return {
    exitCode: combinedExitCode(codes, joined.report.verdict),
    reports: reportPaths(plan.summaryDir),
    slas,
    segments: outcomes,
  };
}
