import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { slaFailedExitCode } from '../cli/run-outcome.ts';
import { runCli } from './support/cli.ts';
import { thresholdsFailedExitCode } from './support/k6.ts';
import { junitCases, runScenario, tail, type ScenarioRun, type SlaSummaryFile } from './support/sla-run.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

type Row = { status: string; threshold?: string; bound_ms?: number | null; own_bound?: boolean };

/** Every row of sla-summary.json that failed its own threshold: "agent response" or "agent response [plan:enterprise]". */
function failedRows(summary: SlaSummaryFile | undefined): string[] {
  return (summary?.slas ?? []).flatMap((sla) => {
    const own = (sla as { overall_status?: string }).overall_status === 'fail' ? [sla.name] : [];
    const parts = Object.entries(sla.breakdown).flatMap(([by, rows]) =>
      Object.entries(rows as Record<string, Row>).filter(([, row]) => row.status === 'fail').map(([name]) => `${sla.name} [${by}:${name}]`));
    return [...own, ...parts];
  });
}

const failingCases = (run: ScenarioRun): string[] => [...junitCases(run.junit)].filter(([, failure]) => failure !== undefined).map(([name]) => name);
const planRow = (run: ScenarioRun, id: string, plan: string): Row | undefined =>
  (run.json?.slas.find((sla) => sla.id === id)?.breakdown.plan as Record<string, Row> | undefined)?.[plan];

/** One user per plan, one run each: the reference target answers an agent run in well over 1 ms and well under 60 s. */
const threePlans = { PLANS: 'free:1,pro:1,enterprise:1', ITERATIONS: '3', VUS: '1', SLA_AGENT_MS: '60000' };

describe("SLAs per plan: a plan's own bound, judged in the same run as the others'", () => {
  let target: SpawnedTarget;
  before(async () => {
    target = await spawnTarget();
  });
  after(() => target?.stop());

  it('an enterprise bound below what the target delivers fails agent response for plan:enterprise alone (exit 99)', async () => {
    const run = await runScenario('journey', target.url, { ...threePlans, SLA_AGENT_MS_ENTERPRISE: '1' });
    assert.equal(run.code, thresholdsFailedExitCode, tail(run));
    assert.deepEqual(failedRows(run.json), ['agent response [plan:enterprise]']);
    const enterprise = planRow(run, 'agent', 'enterprise');
    assert.deepEqual([enterprise?.status, enterprise?.threshold, enterprise?.bound_ms, enterprise?.own_bound], ['fail', 'p(95)<1', 1, true]);
    assert.deepEqual([planRow(run, 'agent', 'pro')?.threshold, planRow(run, 'agent', 'pro')?.own_bound, planRow(run, 'agent', 'pro')?.status], ['p(95)<60000', false, 'pass']);
    assert.equal(run.json?.passed, false);
    assert.deepEqual(failingCases(run), ['agent response [plan:enterprise]: agent_response_duration p(95)<1']);
    assert.match(run.stdout, /^ {2}plan:enterprise .*p\(95\)<1 \(own\)\s+FAIL$/m);
    assert.match(run.stdout, /^agent response .*p\(95\)<60000\s+pass$/m);
    assert.match(run.stdout, /^FAIL: agent response \[plan:enterprise\]$/m);
    // Goodput holds each run to its plan's bound: the enterprise run missed its own, the others met theirs.
    const runs = (run.json as unknown as { runs: { completed: number; goodput: number } }).runs;
    assert.equal(runs.goodput, runs.completed - (run.json?.slas.find((sla) => sla.id === 'agent')?.breakdown.plan.enterprise?.count ?? 0));
    assert.ok(runs.goodput > 0);
  });

  it('the same run with the enterprise bound loosened passes (exit 0), still showing the bound that applied', async () => {
    const run = await runScenario('journey', target.url, { ...threePlans, SLA_AGENT_MS_ENTERPRISE: '45000' });
    assert.equal(run.code, 0, tail(run));
    assert.deepEqual(failedRows(run.json), []);
    assert.equal(run.json?.passed, true);
    assert.deepEqual([planRow(run, 'agent', 'enterprise')?.threshold, planRow(run, 'agent', 'enterprise')?.own_bound], ['p(95)<45000', true]);
    assert.ok(junitCases(run.junit).has('agent response [plan:enterprise]: agent_response_duration p(95)<45000'));
    assert.match(run.stdout, /^ {2}plan:enterprise .*p\(95\)<45000 \(own\)\s+pass$/m);
    const runs = (run.json as unknown as { runs: { completed: number; goodput: number } }).runs;
    assert.equal(runs.goodput, runs.completed);
  });

  it('agent-sla run --plans free:1,pro:1,enterprise:1 --sla agent=30s,agent.enterprise=1ms exits 99 with one failed row, plan:enterprise', async () => {
    const result = await runCli(['run', 'journey', '--target', target.url, '--plans', 'free:1,pro:1,enterprise:1', '--sla', 'agent=30s,agent.enterprise=1ms', '--json'], {
      timeoutMs: 240_000,
    });
    const outcome = JSON.parse(result.stdout.trim()) as { exit_code: number; reports: { dir: string; sla_summary_json: string; junit: string } };
    try {
      assert.equal(result.code, slaFailedExitCode, result.stderr.slice(-2000));
      assert.equal(outcome.exit_code, slaFailedExitCode);
      const summary = JSON.parse(readFileSync(outcome.reports.sla_summary_json, 'utf8')) as SlaSummaryFile;
      assert.deepEqual(failedRows(summary), ['agent response [plan:enterprise]']);
      const junit = readFileSync(outcome.reports.junit, 'utf8');
      assert.deepEqual([...junitCases(junit)].filter(([, failure]) => failure !== undefined).map(([name]) => name), ['agent response [plan:enterprise]: agent_response_duration p(95)<1']);
      // The table went to stderr (--json keeps stdout for the one object).
      assert.match(result.stderr, /^ {2}plan:enterprise .*p\(95\)<1 \(own\)\s+FAIL$/m);
      assert.equal(result.stderr.split('\n').filter((line) => /\sFAIL$/.test(line)).length, 1);
    } finally {
      rmSync(outcome.reports.dir, { recursive: true, force: true });
    }
  });

  it('agent-sla run refuses a per-plan bound on a rate SLA, or an unknown plan, with exit 2 before any load', async () => {
    for (const [spec, message] of [['runs.pro=99%', /runs is a rate SLA/], ['agent.gold=1s', /unknown plan "gold"/]] as const) {
      const result = await runCli(['run', 'journey', '--target', target.url, '--sla', spec]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /running journey/);
    }
  });
});

describe('streaming SLAs: time to first token, and goodput', () => {
  let target: SpawnedTarget;
  before(async () => {
    target = await spawnTarget();
  });
  after(() => target?.stop());

  const env = { ITERATIONS: '2', VUS: '1', RUNS_PER_SESSION: '2' };

  it('SLA_TTFT_MS tighter than the first token fails "time to first token" (exit 99), and no run counts toward goodput', async () => {
    const run = await runScenario('agent-events', target.url, { ...env, SLA_TTFT_MS: '1' });
    assert.equal(run.code, thresholdsFailedExitCode, tail(run));
    const ttft = run.json?.slas.find((sla) => sla.id === 'ttft');
    assert.equal(ttft?.name, 'time to first token');
    assert.equal(ttft?.status, 'fail');
    assert.ok((ttft?.count ?? 0) > 0);
    assert.match(run.stdout, /^FAIL: time to first token$/m);
    assert.ok(failingCases(run).includes('time to first token: agent_time_to_first_token p(95)<1'), failingCases(run).join(' | '));
    const summary = run.json as SlaSummaryFile & { goodput_per_s: number | null; completed_per_s: number | null; runs: { completed: number; goodput: number } };
    assert.ok(summary.runs.completed > 0);
    assert.equal(summary.runs.goodput, 0);
    assert.equal(summary.goodput_per_s, 0);
    assert.ok((summary.completed_per_s ?? 0) > 0);
    assert.match(run.stdout, /^goodput: 0\.00 runs\/s \(of \d+\.\d+ completed\/s\)$/m);
  });

  it('loosened, it passes (exit 0), every completed run counts toward goodput; unset, there is no ttft row', async () => {
    const run = await runScenario('agent-events', target.url, { ...env, SLA_TTFT_MS: '30000', SLA_ITL_MS: '30000' });
    assert.equal(run.code, 0, tail(run));
    for (const id of ['ttft', 'itl']) assert.equal(run.json?.slas.find((sla) => sla.id === id)?.status, 'pass', id);
    const summary = run.json as SlaSummaryFile & { goodput_per_s: number; completed_per_s: number; runs: { completed: number; goodput: number } };
    assert.ok(summary.runs.completed > 0);
    assert.equal(summary.runs.goodput, summary.runs.completed);
    assert.equal(summary.goodput_per_s, summary.completed_per_s);
    const unset = await runScenario('agent-events', target.url, env);
    assert.equal(unset.code, 0, tail(unset));
    assert.deepEqual(unset.json?.slas.filter((sla) => sla.id === 'ttft' || sla.id === 'itl'), []);
    assert.doesNotMatch(unset.stdout, /time to first token/);
  });
});
