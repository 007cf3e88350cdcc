import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONTRACT_VERSION } from '../lib/protocol/version.ts';
import { startEmbeddedTarget, type RunningTarget } from './embedded-target.ts';
import { defaultInfluxUrl, influxAnswers } from './influx-ping.ts';
import { redactUrl } from './url-credentials.ts';
import { launchEngine } from './engine-launch.ts';
import { launchK6, type K6Launch, type K6Outcome } from './k6-launch.ts';
import { runSegments, type SegmentOutcome } from './execute-segments.ts';
import { startPhases } from './phases.ts';
import { PreflightError } from './preflight-error.ts';
import { judgedExitCode, verdictOf, type ReportPaths, type SlaResult, type Verdict } from './run-outcome.ts';
import type { RunPlan } from './run-plan.ts';
import { ensureBuilt } from './scenarios.ts';
import { resolvedOptions } from './print-options.ts';
import { checkTarget, TargetCheckError } from './target-health.ts';

export interface RunResult {
  testid: string;
  scenario: string;
  profile: string;
  target: string;
  embeddedTarget: boolean;
  exitCode: number;
  verdict: Verdict;
  reports: ReportPaths;
  slas: SlaResult[];
  influx?: { url: string; reportCommand: string };
  segments?: SegmentOutcome[];
}

const shown = (path: string): string => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel || '.';
};

/** The health check the plan's dialect asks for; what the backend was found to be. */
async function checkOrExplain(url: string, flag: string, plan: RunPlan): Promise<string> {
  const native = plan.health.dialect === 'agent-sla';
  try {
    const health = await checkTarget(url, native ? CONTRACT_VERSION : undefined, 5_000, plan.health.path);
    return native ? `${url} speaks ${CONTRACT_VERSION}` : `${url}${plan.health.path} answered ${health.status}`;
  } catch (error) {
    if (error instanceof TargetCheckError) throw new PreflightError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** One run of the plan's bundle: on agent-sla's engine, or on the user's own k6 when the plan names one. */
export type Launcher = (plan: RunPlan, targetUrl: string, launch: K6Launch) => Promise<K6Outcome>;

/**
 * Build, target, health, configuration, then the run; the target it started is stopped whatever happens. Ctrl-C
 * stops the test as k6 does: iterations are interrupted, the reports are still written.
 */
export async function executeRun(plan: RunPlan): Promise<RunResult> {
  const targetPhases = plan.target ? (plan.health.path !== undefined ? 1 : 0) : 2;
  const phases = startPhases(targetPhases + 2, { quiet: plan.quiet });
  const interrupted = new AbortController();
  const interrupt = (): void => interrupted.abort();
  const k6 = plan.k6;
  const launcher: Launcher = k6 ? (run, url, launch) => launchK6(run, k6, url, launch) : (run, url, launch) => launchEngine(run, url, launch, interrupted.signal);
  let embedded: RunningTarget | undefined;
  try {
    if (plan.target && plan.health.path !== undefined) {
      const target = plan.target;
      await phases.run(`checking ${target}${plan.health.path}`, () => checkOrExplain(target, '--target', plan), (found) => found);
    }
    if (plan.influx) {
      const influx = plan.influx;
      const up = await influxAnswers(influx);
      if (!up) throw new PreflightError(`--influx: ${redactUrl(influx)}/ping does not answer; start InfluxDB or drop --influx`);
    }
    await phases.run(`building ${plan.scenario.name}`, () => ensureBuilt(plan.scenario), (rebuilt) =>
      rebuilt ? `bundled ${shown(plan.scenario.output)}` : `${shown(plan.scenario.output)} is up to date`,
    );
    // The library checks its own configuration when its init code runs: one line and exit 2, before any load.
    await phases.run('checking the configuration', () => resolvedOptions(plan), () => `${plan.dialect} dialect, configuration ok`);
    let targetUrl = plan.target;
    if (!targetUrl) {
      embedded = await phases.run('starting the reference target', () => startEmbeddedTarget({ port: '0', dialect: plan.dialect }), (started) => `reference target on ${started.url} (${plan.dialect})`);
      const url = embedded.url;
      await phases.run('waiting for health', () => checkOrExplain(url, 'reference target', { ...plan, health: { dialect: plan.dialect, path: '/health' } }), () => `${url}/health ok`);
      targetUrl = url;
    }
    phases.stop();

    if (!plan.quiet) {
      const split = plan.segments > 1 ? ` in ${plan.segments} k6 processes` : '';
      process.stderr.write(`running ${plan.scenario.name} (${plan.profile}) as ${plan.testid}${split} against ${targetUrl}\n`);
    }
    if (!k6) {
      process.on('SIGINT', interrupt);
      process.on('SIGTERM', interrupt);
    }
    const outcome: K6Outcome & { segments?: SegmentOutcome[] } = plan.segments > 1
      ? await runSegments(plan, launcher, targetUrl)
      : await launcher(plan, targetUrl, { summaryDir: plan.summaryDir, quiet: plan.quiet, stdout: plan.json ? 'stderr' : 'inherit' });
    const { reports, slas } = outcome;
    // Segments are judged by the joined report; a single run by its summary too (nothing measured is no pass).
    const exitCode = outcome.segments ? outcome.exitCode : judgedExitCode(outcome.exitCode, reports);
    return {
      testid: plan.testid,
      scenario: plan.scenario.name,
      profile: plan.profile,
      target: targetUrl,
      embeddedTarget: embedded !== undefined,
      exitCode,
      verdict: verdictOf(exitCode),
      reports,
      slas,
      ...(outcome.segments ? { segments: outcome.segments } : {}),
      ...(plan.influx ? { influx: { url: redactUrl(plan.influx), reportCommand: reportCommandFor(plan.testid, plan.influx) } } : {}),
    };
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    phases.stop();
    await embedded?.close();
  }
}

function reportCommandFor(testid: string, influx: string): string {
  const flag = influx.replace(/\/+$/, '') === defaultInfluxUrl ? '' : ` --influx ${redactUrl(influx)}`;
  return `npm run agent-sla -- report --testid ${testid}${flag}`;
}

/** "agent response", or "agent response [plan:enterprise]" when only some plans failed (lib/summary/format.ts says the same). */
function failedRowsOf(sla: SlaResult): string {
  const breakdown = sla.breakdown as { scenario?: Record<string, { ok: boolean }>; plan?: Record<string, { ok: boolean }> } | undefined;
  const plans = Object.entries(breakdown?.plan ?? {}).filter(([, row]) => !row.ok).map(([plan]) => `plan:${plan}`);
  const whole = Object.values(breakdown?.scenario ?? {}).some((row) => !row.ok);
  return whole || plans.length === 0 ? sla.name : `${sla.name} [${plans.join(', ')}]`;
}

export function summaryLines(result: RunResult): string[] {
  const failed = result.slas.filter((sla) => !sla.ok).map(failedRowsOf);
  const verdict =
    result.verdict === 'pass'
      ? 'PASS: every SLA held'
      : result.verdict === 'fail'
        ? `FAIL: SLA failed: ${failed.join(', ') || 'see the thresholds above'}`
        : `ERROR: the run exited ${result.exitCode} before a verdict`;
  const joinedReport = ['report.md', 'report.json', 'report.html'].filter((file) => existsSync(join(result.reports.dir, file)));
  const segmentFiles = result.segments ? [...joinedReport, ...result.segments.map((entry) => `segment-${entry.index}/`)] : [];
  const files = [result.reports.junit, result.reports.summaryJson, result.reports.summaryMd]
    .filter((file): file is string => file !== undefined)
    .map((file) => file.slice(result.reports.dir.length + 1))
    .concat(segmentFiles);
  const lines = [`verdict: ${verdict} (exit ${result.exitCode})`, `reports: ${shown(result.reports.dir)}/ ${files.length > 0 ? `(${files.join(', ')})` : '(none written)'}`];
  if (result.influx) lines.push(`metrics: streamed to ${result.influx.url}; report: ${result.influx.reportCommand}`);
  return lines;
}

export function jsonResult(result: RunResult): string {
  return JSON.stringify({
    testid: result.testid,
    scenario: result.scenario,
    profile: result.profile,
    target: result.target,
    embedded_target: result.embeddedTarget,
    exit_code: result.exitCode,
    verdict: result.verdict,
    reports: {
      dir: result.reports.dir,
      junit: result.reports.junit ?? null,
      sla_summary_json: result.reports.summaryJson ?? null,
      sla_summary_md: result.reports.summaryMd ?? null,
    },
    slas: result.slas,
    influx: result.influx ? { url: result.influx.url, report_command: result.influx.reportCommand } : null,
    segments: result.segments?.map((entry) => ({ index: entry.index, segment: entry.segment, exit_code: entry.exitCode, reports_dir: entry.reports.dir })) ?? null,
  });
}

