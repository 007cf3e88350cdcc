import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runScenario, tail, type ScenarioRun } from './support/sla-run.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

type Dialect = 'envelope' | 'openai-realtime';

const failedSlas = (run: ScenarioRun): string[] => (run.json?.slas ?? []).filter((sla) => !sla.ok).map((sla) => sla.name);

/** A user signed up and logged in on the target over HTTP, for the token and login auth modes. */
async function signedUpUser(target: SpawnedTarget): Promise<{ email: string; password: string; token: string }> {
  const email = `dialect-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@load.test`;
  const password = 'pw-dialect-test-0001';
  const signup = await fetch(`${target.url}/auth/signup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password, plan: 'pro' }) });
  assert.ok(signup.status === 201 || signup.status === 200, `signup answered ${signup.status}`);
  const login = await fetch(`${target.url}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await login.json()) as { access_token: string };
  return { email, password, token: body.access_token };
}

/**
 * The engine on the real bundles against the reference target speaking each dialect: a healthy
 * backend passes, and each fault the dialect can express fails with 99 and names the SLA it broke.
 */
for (const dialect of ['envelope', 'openai-realtime'] as Dialect[]) {
  describe(`dialect ${dialect}: verdicts in both directions`, () => {
    let target: SpawnedTarget;
    let token: string;
    before(async () => {
      target = await spawnTarget({ dialect });
      token = (await signedUpUser(target)).token;
    });
    after(() => target?.stop());

    // openai-realtime authenticates with a key: the token auth mode, as a real user of it would.
    const auth = (): Record<string, string> => (dialect === 'openai-realtime' ? { AUTH_MODE: 'token', TOKEN: token } : {});
    const run = (scenario: string, env: Record<string, string> = {}): Promise<ScenarioRun> =>
      runScenario(scenario, target.url, { DIALECT: dialect, ...auth(), ...env });

    it('agent-events and journey pass against a healthy backend, in every token form', async () => {
      await target.setFaults('');
      for (const scenario of ['agent-events', 'journey']) {
        const healthy = await run(scenario);
        assert.equal(healthy.code, 0, tail(healthy));
        assert.deepEqual(failedSlas(healthy), []);
        const sequence = healthy.json!.slas.find((sla) => sla.id === 'sequence')!;
        assert.ok(sequence.count >= 4, `sequence samples: ${sequence.count}`);
        for (const text of [healthy.stdout, healthy.stderr, healthy.junit, healthy.markdown, JSON.stringify(healthy.json)]) {
          assert.ok(!text.includes(token), 'a token reached a report or a log');
        }
      }
      for (const mode of ['subprotocol', 'query']) {
        const other = await run('agent-events', { TOKEN_MODE: mode, ITERATIONS: '2', RUNS_PER_SESSION: '1' });
        assert.equal(other.code, 0, `${mode}: ${tail(other)}`);
      }
    });

    it('slow agents past the SLA exit 99 and name agent response', async () => {
      await target.setFaults('slow-agents:50');
      const slow = await run('agent-events', { SLA_AGENT_MS: '800', ITERATIONS: '2', RUNS_PER_SESSION: '1' });
      assert.equal(slow.code, 99, tail(slow));
      assert.deepEqual(failedSlas(slow), ['agent response']);
    });

    it('a dropped tool completion exits 99 and names the event sequence', async () => {
      await target.setFaults('drop-tool-completed');
      const broken = await run('agent-events', { ITERATIONS: '2', RUNS_PER_SESSION: '1' });
      assert.equal(broken.code, 99, tail(broken));
      assert.ok(failedSlas(broken).includes('event sequence well-formed'), JSON.stringify(failedSlas(broken)));
    });

    it('a message that is not JSON exits 99 and names the event sequence', async () => {
      await target.setFaults('garbled-frame');
      const garbled = await run('agent-events', { ITERATIONS: '2', RUNS_PER_SESSION: '1' });
      assert.equal(garbled.code, 99, tail(garbled));
      assert.ok(failedSlas(garbled).includes('event sequence well-formed'), JSON.stringify(failedSlas(garbled)));
      await target.setFaults('');
    });

    it('a missing terminal event, an error event and a cut socket exit 99 and name agent runs completed', async () => {
      for (const fault of ['no-terminal', 'agent-error', 'drop-socket:1']) {
        await target.setFaults(fault);
        const failed = await run('agent-events', { ITERATIONS: '2', RUNS_PER_SESSION: '1', RUN_TIMEOUT_MS: '2000' });
        assert.equal(failed.code, 99, `${fault}: ${tail(failed)}`);
        assert.ok(failedSlas(failed).includes('agent runs completed'), `${fault}: ${JSON.stringify(failedSlas(failed))}`);
        // Delivery or the backend failed, not the protocol: the streams that arrived were well-formed.
        assert.ok(!failedSlas(failed).includes('event sequence well-formed'), `${fault}: ${JSON.stringify(failedSlas(failed))}`);
      }
      await target.setFaults('');
    });
  });
}

describe('auth modes for real backends', () => {
  let target: SpawnedTarget;
  before(async () => {
    target = await spawnTarget({ dialect: 'envelope' });
  });
  after(() => target?.stop());

  it('logs in existing users from USERS_FILE (CSV and JSON) and hands out TOKENS_FILE round-robin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth-modes-'));
    const users = [await signedUpUser(target), await signedUpUser(target)];
    writeFileSync(join(dir, 'users.csv'), `email,password\n${users.map((u) => `${u.email},${u.password}`).join('\n')}\n`);
    writeFileSync(join(dir, 'users.json'), JSON.stringify(users.map(({ email, password }) => ({ email, password, plan: 'enterprise' }))));
    writeFileSync(join(dir, 'tokens.txt'), `${users.map((u) => u.token).join('\n')}\n`);
    const common = { DIALECT: 'envelope', ITERATIONS: '2', RUNS_PER_SESSION: '1' };
    for (const file of ['users.csv', 'users.json']) {
      const login = await runScenario('agent-events', target.url, { ...common, AUTH_MODE: 'login', USERS_FILE: join(dir, file) });
      assert.equal(login.code, 0, `${file}: ${tail(login)}`);
      const auth = login.json!.slas.find((sla) => sla.id === 'auth')!;
      assert.ok(auth.count >= 2, 'logins and handshakes are timed');
    }
    const tokens = await runScenario('agent-events', target.url, { ...common, AUTH_MODE: 'token', TOKENS_FILE: join(dir, 'tokens.txt') });
    assert.equal(tokens.code, 0, tail(tokens));
    for (const text of [tokens.stdout, tokens.stderr, JSON.stringify(tokens.json)]) for (const user of users) assert.ok(!text.includes(user.token));
  });

  it('keeps a token out of every metric, even when the backend selects the token-bearing subprotocol', async () => {
    const { token } = await signedUpUser(target);
    const out = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'points.json');
    const run = await runScenario('agent-events', target.url, { DIALECT: 'envelope', AUTH_MODE: 'token', TOKEN: token, TOKEN_MODE: 'subprotocol', ITERATIONS: '4', RUNS_PER_SESSION: '1' }, { args: [`--out`, `json=${out}`] });
    assert.equal(run.code, 0, tail(run));
    const points = readFileSync(out, 'utf8');
    assert.ok(points.includes('"ws_connecting"'), 'the socket metrics were written');
    assert.ok(!points.includes(token), 'a token reached a metric tag');
  });

  it('sees a refused token both ways the envelope allows: HTTP 401 before the upgrade, or an error frame then 1008', async () => {
    for (const style of ['http', 'frame']) {
      const refusing = await spawnTarget({ dialect: 'envelope', env: { TARGET_AUTH_REFUSAL: style } });
      try {
        const run = await runScenario('auth-websocket', refusing.url, { DIALECT: 'envelope', ITERATIONS: '1', VUS: '1' });
        assert.equal(run.code, 0, `${style}: ${tail(run)}`);
        const refusals = run.json!.slas.find((sla) => sla.id === 'refusals')!;
        assert.ok(refusals.count >= 6 && refusals.rate === 1, `${style}: ${JSON.stringify(refusals)}`);
      } finally {
        await refusing.stop();
      }
    }
  });

  it('refuses bad configuration in one line with exit 107, before any load', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ DIALECT: 'graphql' }, /DIALECT="graphql" must be one of agent-sla, envelope, openai-realtime/],
      [{ DIALECT: 'envelope', AUTH_MODE: 'token' }, /AUTH_MODE="token" needs TOKEN or TOKENS_FILE/],
      [{ DIALECT: 'envelope', AUTH_MODE: 'login', USERS_FILE: '/nonexistent/users.csv' }, /USERS_FILE="\/nonexistent\/users.csv" cannot be read/],
      [{ DIALECT: 'envelope', WS_URL: 'http://127.0.0.1:1/ws' }, /WS_URL="http:\/\/127.0.0.1:1\/ws" is not a ws\(s\):\/\/ URL/],
    ];
    for (const [env, message] of cases) {
      const bad = await runScenario('agent-events', target.url, env);
      assert.equal(bad.code, 107, `${JSON.stringify(env)}: ${tail(bad)}`);
      assert.match((bad.stderr + bad.stdout).replace(/\\"/g, '"'), message);
      assert.equal(bad.json, undefined, 'no summary: nothing ran');
    }
  });

  it('keeps the query string of WS_URL (OpenAI Realtime: /v1/realtime?model=…)', async () => {
    const realtime = await spawnTarget({ dialect: 'openai-realtime' });
    try {
      const { token } = await signedUpUser(realtime);
      const wsUrl = `${realtime.url.replace('http://', 'ws://')}/v1/realtime?model=gpt-realtime`;
      const run = await runScenario('agent-events', realtime.url, { DIALECT: 'openai-realtime', AUTH_MODE: 'token', TOKEN: token, WS_URL: wsUrl, ITERATIONS: '2', RUNS_PER_SESSION: '1' });
      assert.equal(run.code, 0, tail(run));
    } finally {
      await realtime.stop();
    }
  });
});
