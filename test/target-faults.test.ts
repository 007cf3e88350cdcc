import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { validateRun } from '../lib/dialects/agent-sla.ts';
import { getJson, newUser, postJson, spawnTarget, type SpawnedTarget, type TestUser } from './support/target.ts';
import { connect, mustConnect } from './support/target-socket.ts';

describe('target faults', { timeout: 120_000 }, () => {
  let target: SpawnedTarget;
  let user: TestUser;

  before(async () => {
    target = await spawnTarget({ faults: 'skip-billing' });
    user = await newUser(target.url);
  });
  beforeEach(() => target.setFaults(''));
  after(() => target?.stop());

  const runOnce = async (mode: 'single' | 'orchestration' = 'single') => {
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    try {
      return await socket.run({ request_id: randomUUID(), mode });
    } finally {
      socket.close();
    }
  };
  const billedRuns = async (runId: string) =>
    (await getJson(`${target.url}/billing/usage?run_id=${runId}`, user.accessToken)).body.records.length;

  it('starts with the faults given and reports them in the start line and /health', async () => {
    assert.match(target.startLine, /faults=skip-billing$/);
    await target.setFaults('slow-agents:5,drop-socket:0.5');
    assert.deepEqual((await getJson(`${target.url}/health`)).body.faults, ['slow-agents:5', 'drop-socket:0.5']);
  });

  it('refuses the admin endpoint without the admin token and rejects a bad spec', async () => {
    const anon = await postJson(`${target.url}/admin/faults`, { faults: 'db-down' }, user.accessToken);
    assert.equal(anon.status, 401);
    const badSpec = await postJson(`${target.url}/admin/faults`, { faults: 'melt-cpu' }, target.adminToken);
    assert.equal(badSpec.status, 400);
  });

  it('skip-billing completes a valid run with no billing record; double-billing writes two', async () => {
    await target.setFaults('skip-billing');
    const skipped = await runOnce();
    assert.equal(validateRun(skipped, 'single').ok, true);
    assert.equal(await billedRuns(skipped.at(-1).run_id), 0);
    await target.setFaults('double-billing');
    const doubled = await runOnce();
    assert.equal(await billedRuns(doubled.at(-1).run_id), 2);
    await target.setFaults('');
    assert.equal(await billedRuns((await runOnce()).at(-1).run_id), 1);
  });

  it('skip-triage breaks the orchestration pipeline and leaves single runs well-formed', async () => {
    await target.setFaults('skip-triage');
    const verdict = validateRun(await runOnce('orchestration'), 'orchestration');
    assert.equal(verdict.ok, false);
    assert.ok(verdict.violations.some((v) => /handoff supervisor→data, expected supervisor→triage/.test(v)), verdict.violations.join('; '));
    assert.deepEqual(validateRun(await runOnce(), 'single'), { ok: true, violations: [] });
  });

  it('drop-tool-completed breaks the sequence', async () => {
    await target.setFaults('drop-tool-completed');
    const events = await runOnce('orchestration');
    const verdict = validateRun(events, 'orchestration');
    assert.equal(verdict.ok, false);
    assert.ok(verdict.violations.some((v) => v.includes('tool')));
  });

  it('slow-agents stretches the model: more agent time than the same request without it', async () => {
    // Compared by the server's own event timestamps of the same seeded request, not by a wall-clock bound.
    const span = (events: any[]) => events.at(-1).ts - events[0].ts;
    const seeded = randomUUID();
    const a = await mustConnect(target.wsUrl, user.accessToken);
    const fast = span(await a.run({ request_id: seeded }));
    a.close();
    await target.setFaults('slow-agents:20');
    const other = await newUser(target.url);
    const b = await mustConnect(target.wsUrl, other.accessToken);
    const slow = span(await b.run({ request_id: seeded }));
    b.close();
    assert.ok(slow > fast * 3, `slow ${slow} ms vs fast ${fast} ms`);
  });

  it('drop-socket:1 cuts the socket mid-run; the run still completes and is billed once', async () => {
    await target.setFaults('drop-socket:1');
    const dropped = await newUser(target.url);
    const socket = await mustConnect(target.wsUrl, dropped.accessToken);
    socket.send({ type: 'user_message', request_id: randomUUID(), content: 'x' });
    const { code } = await socket.closed;
    assert.equal(code, 1006);
    await target.settled();
    assert.equal((await getJson(`${target.url}/billing/summary`, dropped.accessToken)).body.runs, 1);
  });

  it('http-500:1 fails HTTP requests but leaves /health and admin working', async () => {
    await target.setFaults('http-500:1');
    const me = await getJson(`${target.url}/auth/me`, user.accessToken);
    assert.equal(me.status, 500);
    assert.equal(me.body.error.code, 'injected_fault');
    assert.equal((await getJson(`${target.url}/health`)).status, 200);
  });

  it('db-down makes /health 503, login 503 and closes a run with 1011', async () => {
    await target.setFaults('db-down');
    const health = await getJson(`${target.url}/health`);
    assert.equal(health.status, 503);
    assert.equal(health.body.db, 'down');
    assert.equal((await postJson(`${target.url}/auth/login`, { email: user.email, password: user.password })).status, 503);
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    socket.send({ type: 'user_message', request_id: randomUUID(), content: 'x' });
    assert.equal((await socket.closed).code, 1011);
    await target.setFaults('');
    assert.equal((await getJson(`${target.url}/health`)).status, 200);
  });

  it('slow-auth delays the handshake but still admits a good token', async () => {
    await target.setFaults('slow-auth:300');
    const result = await connect(target.wsUrl, user.accessToken);
    assert.equal(result.ok, true);
    if (result.ok) result.socket.close();
    assert.equal((await postJson(`${target.url}/auth/login`, { email: user.email, password: user.password })).status, 200);
  });
});

describe('target admin endpoints without TARGET_ADMIN_TOKEN', { timeout: 60_000 }, () => {
  it('are disabled: 404 for faults and stats, whatever token is sent', async () => {
    const target = await spawnTarget({ withoutAdmin: true });
    try {
      for (const [method, path] of [['POST', '/admin/faults'], ['GET', '/admin/stats']] as const) {
        const response = await fetch(`${target.url}${path}`, {
          method,
          headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: JSON.stringify({ faults: 'skip-billing' }) } : {}),
        });
        assert.equal(response.status, 404, `${method} ${path}`);
      }
      const health = await (await fetch(`${target.url}/health`)).json() as { faults: unknown[] };
      assert.deepEqual(health.faults, [], 'the refused POST changed no fault');
    } finally {
      await target.stop();
    }
  });
});

describe('target fault spec at start', { timeout: 60_000 }, () => {
  for (const spec of ['melt-cpu', 'drop-socket', 'http-500:2', 'skip-billing:yes']) {
    it(`refuses "${spec}" with a one-line error and does not start`, async () => {
      await assert.rejects(spawnTarget({ faults: spec }), (error: Error) => {
        const [, stderr = ''] = error.message.split('exited with 2: ');
        assert.match(stderr, /^agent-sla target: .*fault/);
        assert.ok(!stderr.trim().includes('\n'), stderr);
        return true;
      });
    });
  }
});
