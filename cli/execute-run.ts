import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureK6, findK6, type ResolvedK6 } from '../build/provision-k6.ts';
import { CONTRACT_VERSION } from '../lib/protocol/version.ts';
import { startEmbeddedTarget, type RunningTarget } from './embedded-target.ts';
import { defaultInfluxUrl, influxAnswers } from './influx-ping.ts';
import { redactUrl } from './url-credentials.ts';
import { launchK6, type K6Outcome } from './k6-launch.ts';
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

/** Provisioning, build, target, health, then k6; the target it started is stopped whatever happens. */
export async function executeRun(plan: RunPlan): Promise<RunResult> {
  const targetPhases = plan.target ? (plan.health.path !== undefined ? 1 : 0) : 2;
  const phases = startPhases(targetPhases + 3, { quiet: plan.quiet });
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
    const k6 = await phases.run('provisioning k6', () => provisionK6(plan.quiet, phases), (found) => `k6 v${found.version} (${found.source})`);
    await phases.run(`building ${plan.scenario.name}`, () => ensureBuilt(plan.scenario), (rebuilt) =>
      rebuilt ? `bundled ${shown(plan.scenario.output)}` : `${shown(plan.scenario.output)} is up to date`,
    );
    // The library checks its own configuration (k6 inspect runs the init code): one line and exit 2, before any load.
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
    const outcome: K6Outcome & { segments?: SegmentOutcome[] } = plan.segments > 1
      ? await runSegments(plan, k6.path, targetUrl)
      : await launchK6(plan, k6.path, targetUrl, { summaryDir: plan.summaryDir, quiet: plan.quiet, stdout: plan.json ? 'stderr' : 'inherit' });
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
    phases.stop();
    await embedded?.close();
  }
}

function reportCommandFor(testid: string, influx: string): string {
  const flag = influx.replace(/\/+$/, '') === defaultInfluxUrl ? '' : ` --influx ${redactUrl(influx)}`;
  return `npm run agent-sla -- report --testid ${testid}${flag}`;
}

/** ensureK6 draws its own compile bar on first use, so ours steps aside while it builds. */
async function provisionK6(quiet: boolean, phases: ReturnType<typeof startPhases>): Promise<ResolvedK6> {
  const found = findK6();
  if (found) return ensureK6({ quiet });
  phases.pause();
  return ensureK6({ quiet, log: (line) => phases.note(line) });
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
        : `ERROR: k6 exited ${result.exitCode} before a verdict`;
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

