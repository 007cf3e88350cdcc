import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturePath, runK6, thresholdsFailedExitCode, type K6Result } from './support/k6.ts';
import { tail, type SlaSummaryFile } from './support/sla-run.ts';

interface VerdictRun extends K6Result {
  json: SlaSummaryFile;
  junit: string;
  markdown: string;
}

/** The verdict fixture (production thresholds and handleSummary) on the engine, with its reports read back. */
async function runVerdicts(env: Record<string, string>): Promise<VerdictRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sla-verdicts-'));
  try {
    const result = await runK6(fixturePath('sla-verdicts'), { env: { SUMMARY_DIR: dir, PROFILE: 'load', VUS: '2', PLANS: 'pro:1', ...env }, timeoutMs: 120_000 });
    const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
    return { ...result, json: JSON.parse(read('sla-summary.json')), junit: read('junit.xml'), markdown: read('sla-summary.md') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sla = (run: VerdictRun, id: string) => {
  const found = run.json.slas.find((entry) => entry.id === id);
  assert.ok(found, `${id} missing from sla-summary.json`);
  return found;
};
/** The line of the end-of-test table for a verdict. */
const tableLine = (run: VerdictRun, title: string): string => run.stdout.split('\n').find((line) => line.startsWith(title)) ?? '';

describe('correctness is exact, availability has a budget (on the engine, production thresholds)', () => {
  it('0.5 % of runs billed wrongly fails "billed exactly once" under the load profile, while 99.5 % of runs completed passes', async () => {
    const run = await runVerdicts({ ITERATIONS: '200', FAIL_EVERY: '200' });
    assert.equal(run.code, thresholdsFailedExitCode, tail(run));
    assert.equal(sla(run, 'billing').status, 'fail');
    assert.equal(sla(run, 'billing').rate, 0.995);
    assert.equal(sla(run, 'billing').threshold, 'rate==1');
    assert.equal(sla(run, 'runs').status, 'pass');
    assert.equal(sla(run, 'runs').threshold, 'rate>=0.99');
    assert.match(tableLine(run, 'billed exactly once'), /99\.50%\s+200\s+rate==1\s+FAIL/);
    assert.match(run.stdout, /^FAIL: billed exactly once$/m);
    assert.match(run.junit, /name="billed exactly once: billing_reconciled rate==1">\s*<failure/);
  });

  it('a budget given on purpose (SLA_BILLING_RATE=99%) lets the same run pass, and every report shows the budget that applied', async () => {
    const run = await runVerdicts({ ITERATIONS: '200', FAIL_EVERY: '200', SLA_BILLING_RATE: '99%' });
    assert.equal(run.code, 0, tail(run));
    assert.equal(sla(run, 'billing').status, 'pass');
    assert.equal(sla(run, 'billing').min_rate, 0.99);
    assert.match(tableLine(run, 'billed exactly once'), /rate>=0\.99\s+pass/);
    assert.match(run.junit, /name="billed exactly once: billing_reconciled rate&gt;=0\.99"\/>/);
    assert.match(run.markdown, /\| \*\*billed exactly once\*\* \| all \|.*`rate>=0\.99` \| pass \|/);
  });

  it('a tighter availability budget (SLA_RUNS_RATE=99.9%) fails "agent runs completed" at 99.5 %', async () => {
    const run = await runVerdicts({ ITERATIONS: '200', FAIL_EVERY: '200', COVERS: 'runs', SLA_RUNS_RATE: '99.9%' });
    assert.equal(run.code, thresholdsFailedExitCode, tail(run));
    assert.equal(sla(run, 'runs').threshold, 'rate>=0.999');
    assert.match(run.stdout, /^FAIL: agent runs completed$/m);
  });

  it('a bad budget stops k6 before any load with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-verdicts-'));
    const run = await runK6(fixturePath('sla-verdicts'), { env: { SUMMARY_DIR: dir, SLA_BILLING_RATE: '120%' } });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(run.code, 107, tail(run));
    assert.match(run.stderr, /bad configuration: SLA_BILLING_RATE=\\"120%\\" must be a share above 0 and at most 100%/);
  });
});

describe('a verdict without samples is "not measured", never "pass"', () => {
  it('a covered verdict and a plan with no samples are not measured; the run still passes on what it measured', async () => {
    const run = await runVerdicts({ ITERATIONS: '2', COVERS: 'billing,orchestration', SAMPLED: 'billing', PLANS: 'pro:3,enterprise:1' });
    assert.equal(run.code, 0, tail(run));
    assert.equal(run.json.passed, true);
    assert.deepEqual(run.json.slas.map((entry) => entry.id), ['billing', 'orchestration'], 'a verdict the plan does not cover is simply absent');
    assert.equal(sla(run, 'orchestration').status, 'not_measured');
    assert.equal(sla(run, 'orchestration').count, 0);
    assert.equal(sla(run, 'billing').status, 'pass');
    assert.equal(sla(run, 'billing').breakdown.plan.enterprise?.status, 'not_measured');
    assert.match(tableLine(run, 'orchestration'), /\s0\s+p\(95\)<45000\s+not measured$/);
    assert.match(run.stdout, /^PASS: every measured SLA held; not measured: orchestration$/m);
    assert.match(run.junit, /name="orchestration: orchestration_duration p\(95\)&lt;45000">\s*<skipped message="orchestration: not measured, no samples of orchestration_duration"\/>/);
    assert.match(run.junit, /name="billed exactly once \[plan:enterprise\]: billing_reconciled rate==1">\s*<skipped/);
    assert.match(run.junit, /<testsuite [^>]*failures="0" errors="0" skipped="\d+"/);
    assert.match(run.markdown, /\| \*\*orchestration\*\* \| all \|.*\| not measured \|/);
  });

  it('a run that measured nothing fails in every report, although k6 itself exits 0', async () => {
    const run = await runVerdicts({ ITERATIONS: '2', SAMPLED: 'none' });
    // k6 passes thresholds that have no samples; handleSummary cannot change its exit code (agent-sla run maps it).
    assert.equal(run.code, 0, tail(run));
    assert.equal(run.json.passed, false);
    assert.ok(run.json.slas.every((entry) => entry.status === 'not_measured'));
    assert.match(run.stdout, /^FAIL: nothing was measured/m);
    assert.match(run.junit, /name="SLAs measured">\s*<failure type="sla" message="nothing was measured/);
    assert.doesNotMatch(run.junit, /<testcase [^>]*\/>/, 'no testcase passes');
    assert.match(run.markdown, /❌ FAIL: nothing was measured/);
  });
});
