import { mkdirSync } from 'node:fs';
import { relative } from 'node:path';
import { ensureK6, findK6, type ResolvedK6 } from '../build/provision-k6.ts';
import { CONTRACT_VERSION } from './contract.ts';
import { startEmbeddedTarget, type RunningTarget } from './embedded-target.ts';
import { defaultInfluxUrl, influxAnswers } from './influx-ping.ts';
import { influxOutputArgs } from './influx-output.ts';
import { redactUrl } from './url-credentials.ts';
import { runK6Process } from './k6-process.ts';
import { startPhases } from './phases.ts';
import { PreflightError } from './preflight-error.ts';
import { readSlaResults, reportPaths, verdictOf, type ReportPaths, type SlaResult, type Verdict } from './run-outcome.ts';
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

    mkdirSync(plan.summaryDir, { recursive: true });
    const influx = plan.influx ? influxOutputArgs(plan.influx, plan.testid) : undefined;
    const env: Record<string, string> = { ...plan.env, BASE_URL: targetUrl };
    const args = [
      'run',
      '--no-usage-report',
      ...(plan.quiet ? ['--quiet'] : []),
      ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
      // The InfluxDB output's arguments carry the testid tag themselves.
      ...(influx?.args ?? ['--tag', `testid=${plan.testid}`]),
      ...plan.k6Args,
      plan.scenario.output,
    ];
    if (!plan.quiet) process.stderr.write(`running ${plan.scenario.name} (${plan.profile}) as ${plan.testid} against ${targetUrl}\n`);
    const exitCode = await runK6Process({
      binary: k6.path,
      args,
      env: { ...process.env, K6_NO_USAGE_REPORT: 'true', ...influx?.env },
      stdoutToStderr: plan.json,
    });
    const reports = reportPaths(plan.summaryDir);
    return {
      testid: plan.testid,
      scenario: plan.scenario.name,
      profile: plan.profile,
      target: targetUrl,
      embeddedTarget: embedded !== undefined,
      exitCode,
      verdict: verdictOf(exitCode),
      reports,
      slas: readSlaResults(reports),
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
  const files = [result.reports.junit, result.reports.summaryJson, result.reports.summaryMd]
    .filter((file): file is string => file !== undefined)
    .map((file) => file.slice(result.reports.dir.length + 1));
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
  });
}

