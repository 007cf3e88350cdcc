import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { thresholdsFailedExitCode } from './support/k6.ts';
import { junitCases, runScenario, tail, type ScenarioRun } from './support/sla-run.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

/** The verdict named `id` failed in sla-summary.json, and junit.xml has a failing testcase for it. */
function assertFailed(run: ScenarioRun, id: string, title: string): void {
  assert.equal(run.code, thresholdsFailedExitCode, tail(run));
  const sla = run.json?.slas.find((entry) => entry.id === id);
  assert.ok(sla, `${id} missing from sla-summary.json`);
  assert.equal(sla.ok, false, `${id} should have failed`);
  assert.equal(run.json?.passed, false);
  const failing = [...junitCases(run.junit)].filter(([, failure]) => failure !== undefined).map(([name]) => name);
  assert.ok(failing.includes(`${title}: ${sla.metric} ${sla.threshold}`), `failing testcases: ${failing.join(' | ')}`);
  assert.match(run.stdout, new RegExp(`FAIL: .*${title}`));
}

function assertPassed(run: ScenarioRun, id: string): void {
  assert.equal(run.code, 0, tail(run));
  assert.equal(run.json?.slas.find((entry) => entry.id === id)?.ok, true);
}

/**
 * Each verdict in both directions against one target whose faults are switched through the
 * admin endpoint between runs (agent delays scaled by 0.05: a healthy run takes ~0.1 s).
 */
describe('SLA suite: each verdict fails against its fault, and only then', () => {
  let target: SpawnedTarget;
  before(async () => {
    target = await spawnTarget();
  });
  after(() => target?.stop());

  it('agent response: passes at 1.5 s when healthy, exit 99 naming it with slow-agents:100', async () => {
    const env = { SLA_AGENT_MS: '1500', ITERATIONS: '2', RUNS_PER_SESSION: '1' };
    await target.setFaults('');
    assertPassed(await runScenario('agent-events', target.url, env), 'agent');
    await target.setFaults('slow-agents:100');
    const slow = await runScenario('agent-events', target.url, env);
    assertFailed(slow, 'agent', 'agent response');
    assert.match(slow.stderr, /thresholds on metrics '[^']*agent_response_duration[^']*' have been crossed/);
    assert.ok((slow.json?.slas.find((s) => s.id === 'agent')?.p95 ?? 0) > 1500);
  });

  it('orchestration: exit 99 naming it with slow-agents:100', async () => {
    await target.setFaults('slow-agents:100');
    assertFailed(await runScenario('orchestration', target.url, { SLA_ORCHESTRATION_MS: '2000', ITERATIONS: '2' }), 'orchestration', 'orchestration');
  });

  it('auth: passes at 1 s when healthy, fails with slow-auth:1500 (signup SLA still holds)', async () => {
    const env = { SLA_AUTH_MS: '1000', SLA_SIGNUP_MS: '8000', ITERATIONS: '2' };
    await target.setFaults('');
    assertPassed(await runScenario('signup', target.url, env), 'auth');
    await target.setFaults('slow-auth:1500');
    const slow = await runScenario('signup', target.url, env);
    assertFailed(slow, 'auth', 'auth');
    assert.equal(slow.json?.slas.find((s) => s.id === 'signup')?.ok, true);
  });

  it('event sequence: drop-tool-completed fails agent_event_sequence_ok', async () => {
    await target.setFaults('drop-tool-completed');
    const run = await runScenario('agent-events', target.url, { ITERATIONS: '2', RUNS_PER_SESSION: '1' });
    assertFailed(run, 'sequence', 'event sequence well-formed');
    assert.equal(run.json?.slas.find((s) => s.id === 'sequence')?.rate, 0);
    assert.equal(run.json?.slas.find((s) => s.id === 'agent')?.ok, true, 'latency is not what failed');
  });

  it('event sequence: a message that is not JSON (garbled-frame) fails agent_event_sequence_ok', async () => {
    await target.setFaults('garbled-frame');
    const run = await runScenario('agent-events', target.url, { ITERATIONS: '2', RUNS_PER_SESSION: '1' });
    assertFailed(run, 'sequence', 'event sequence well-formed');
    assert.equal(run.json?.slas.find((s) => s.id === 'sequence')?.rate, 0);
    await target.setFaults('');
  });

  it('orchestration: skip-triage fails the sequence SLA of the orchestration scenario (and it passes without)', async () => {
    await target.setFaults('');
    assertPassed(await runScenario('orchestration', target.url, { ITERATIONS: '2' }), 'sequence');
    await target.setFaults('skip-triage');
    const run = await runScenario('orchestration', target.url, { ITERATIONS: '2' });
    assertFailed(run, 'sequence', 'event sequence well-formed');
    assert.equal(run.json?.slas.find((s) => s.id === 'orchestration')?.ok, true, 'latency is not what failed');
  });

  for (const fault of ['skip-billing', 'double-billing']) {
    it(`billing: ${fault} fails billing_reconciled (and it passes without)`, async () => {
      await target.setFaults('');
      assertPassed(await runScenario('agent-billing', target.url, { ITERATIONS: '2' }), 'billing');
      await target.setFaults(fault);
      const run = await runScenario('agent-billing', target.url, { ITERATIONS: '2' });
      assertFailed(run, 'billing', 'billed exactly once');
      assert.equal(run.json?.slas.find((s) => s.id === 'billing')?.rate, 0);
    });
  }

  it('a bad configuration stops k6 before any load with one line, and not exit 99', async () => {
    await target.setFaults('');
    for (const [name, value] of [['PLANS', 'gold:2'], ['PROFILE', 'huge'], ['SLA_AGENT_MS', '-5'], ['BASE_URL', 'ftp://x'], ['TOKEN_MODE', 'cookie']] as const) {
      const run = await runScenario('journey', target.url, { [name]: value });
      assert.notEqual(run.code, thresholdsFailedExitCode);
      assert.equal(run.code, 107, tail(run));
      const errors = run.stderr.split('\n').filter((line) => /level=error/.test(line));
      assert.equal(errors.length, 1, run.stderr);
      assert.match(errors[0]!, new RegExp(`msg="bad configuration: ${name}=\\\\"`));
      assert.doesNotMatch(errors[0]!, /\\tat /, 'no stack trace');
      assert.equal(run.json, undefined, 'no report is written for a run that never started');
    }
  });
});
