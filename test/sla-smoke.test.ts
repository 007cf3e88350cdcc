import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { junitCases, runScenario, tail } from './support/sla-run.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

const scenarios = ['agent-events', 'agent-billing', 'auth-websocket', 'orchestration', 'signup', 'journey'];

/**
 * Every scenario's smoke run against a healthy target: exit 0, every SLA passed in junit.xml
 * and sla-summary.json, with samples behind each verdict. For auth-websocket access tokens live
 * 2 s, so that it really outlives one and the library's refresh-before-expiry is exercised. The
 * other scenarios get tokens of the target's usual lifetime: the library refreshes a token a quarter
 * of its lifetime ahead, before a session opens, and on a busy machine a session of theirs can
 * outlive what is left of a 2 s token.
 */
describe('SLA suite: smoke runs pass against a healthy target', () => {
  let target: SpawnedTarget;
  let shortTokens: SpawnedTarget;
  before(async () => {
    target = await spawnTarget();
    shortTokens = await spawnTarget({ env: { TARGET_ACCESS_TTL_S: '2' } });
  });
  after(async () => {
    await target?.stop();
    await shortTokens?.stop();
  });

  for (const name of scenarios) {
    it(`${name} passes every SLA`, async () => {
      const run = name === 'auth-websocket'
        ? await runScenario(name, shortTokens.url, { ITERATIONS: '2' })
        : await runScenario(name, target.url);
      assert.equal(run.code, 0, tail(run));
      const cases = junitCases(run.junit);
      assert.ok(cases.size > 0, `no testcases in junit.xml:\n${run.junit}`);
      for (const [testcase, failure] of cases) assert.equal(failure, undefined, `${testcase} failed: ${failure}`);
      assert.ok(run.json, 'sla-summary.json missing');
      assert.equal(run.json.passed, true);
      assert.equal(run.json.scenario, name);
      assert.ok(run.json.iterations >= 2, `iterations: ${run.json.iterations}`);
      for (const sla of run.json.slas) {
        assert.equal(sla.ok, true, `${sla.name} not ok`);
        assert.ok(sla.count > 0, `${sla.name} has no samples`);
        assert.ok(cases.has(`${sla.name}: ${sla.metric} ${sla.threshold}`), `${sla.name} has no testcase`);
      }
      assert.ok(run.json.checks.length > 0 && run.json.checks.every((c) => c.fails === 0), JSON.stringify(run.json.checks));
      assert.match(run.stdout, /PASS: every SLA held/);
      assert.match(run.markdown, /every SLA held/);
      // No report may carry a secret: no JWT (they start with eyJ), no generated password.
      for (const text of [run.stdout, run.stderr, run.junit, JSON.stringify(run.json), run.markdown]) {
        assert.doesNotMatch(text, /eyJ[\w-]{10,}|pw-[a-z0-9]{20}/);
      }
    });
  }

  it('auth-websocket exercised the expired-token path (tokens live 2 s)', async () => {
    const run = await runScenario('auth-websocket', shortTokens.url, { ITERATIONS: '1', VUS: '1' });
    assert.equal(run.code, 0, tail(run));
    const names = run.json?.checks.map((c) => c.name) ?? [];
    assert.ok(names.includes('the backend closes a session with 4401 when its token expires'), names.join('\n'));
    assert.ok(names.some((n) => n.startsWith('expired token refused at the WebSocket handshake')), names.join('\n'));
  });

  it('per-plan breakdown follows the PLANS mix', async () => {
    const run = await runScenario('journey', target.url, { PLANS: 'pro:1,enterprise:1', ITERATIONS: '4' });
    assert.equal(run.code, 0, tail(run));
    const billing = run.json?.slas.find((sla) => sla.id === 'billing');
    assert.deepEqual(Object.keys(billing?.breakdown.plan ?? {}), ['pro', 'enterprise']);
    assert.equal(billing?.breakdown.plan.pro?.count, 2);
    assert.equal(billing?.breakdown.plan.enterprise?.count, 2);
    assert.equal(billing?.breakdown.scenario.journey?.count, 4);
  });
});
