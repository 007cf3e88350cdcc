import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureK6, findK6, type ResolvedK6 } from '../build/provision-k6.ts';
import { CONTRACT_VERSION } from './contract.ts';
import { startEmbeddedTarget, type RunningTarget } from './embedded-target.ts';
import { defaultInfluxUrl, influxAnswers } from './influx-ping.ts';
import { redactUrl } from './url-credentials.ts';
import { launchK6, type K6Outcome } from './k6-launch.ts';
import { runSegments, type SegmentOutcome } from './execute-segments.ts';
import { startPhases } from './phases.ts';
import { PreflightError } from './preflight-error.ts';
import { verdictOf, type ReportPaths, type SlaResult, type Verdict } from './run-outcome.ts';
import type { RunPlan } from './run-plan.ts';
import { ensureBuilt } from './scenarios.ts';
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

async function checkOrExplain(url: string, flag: string): Promise<void> {
  try {
    await checkTarget(url, CONTRACT_VERSION);
  } catch (error) {
    if (error instanceof TargetCheckError) throw new PreflightError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** Provisioning, build, target, health, then k6; the target it started is stopped whatever happens. */
export async function executeRun(plan: RunPlan): Promise<RunResult> {
  const phases = startPhases(plan.target ? 4 : 5, { quiet: plan.quiet });
  let embedded: RunningTarget | undefined;
  try {
    if (plan.target) {
      const target = plan.target;
      await phases.run(`checking ${target}/health`, () => checkOrExplain(target, '--target'), () => `${target} speaks ${CONTRACT_VERSION}`);
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
    let targetUrl = plan.target;
    if (!targetUrl) {
      embedded = await phases.run('starting the reference target', () => startEmbeddedTarget({ port: '0' }), (started) => `reference target on ${started.url}`);
      const url = embedded.url;
      await phases.run('waiting for health', () => checkOrExplain(url, 'reference target'), () => `${url}/health ok`);
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
    const { exitCode, reports, slas } = outcome;
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

export function summaryLines(result: RunResult): string[] {
  const failed = result.slas.filter((sla) => !sla.ok).map((sla) => sla.name);
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

