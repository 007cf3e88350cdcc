import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { validateRun } from '../lib/protocol/index.ts';
import { getJson, newUser, spawnTarget, type SpawnedTarget } from './support/target.ts';
import { mustConnect } from './support/target-socket.ts';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh PostgreSQL database with a random name, dropped afterwards, so teammates' runs never collide. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `agent_sla_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

for (const storage of ['pglite', 'postgres'] as const) {
  describe(`target runs and billing on ${storage}`, () => {
    let target: SpawnedTarget;
    let database: { url: string; drop(): Promise<void> } | undefined;

    before(async () => {
      if (storage === 'postgres') database = await freshDatabase();
      target = await spawnTarget(database ? { databaseUrl: database.url } : {});
    });
    after(async () => {
      await target?.stop();
      await database?.drop();
    });

    it('reports its storage kind in /health', async () => {
      const health = await getJson(`${target.url}/health`);
      assert.equal(health.status, 200);
      assert.equal(health.body.db_kind, storage);
      assert.equal(health.body.contract, 'agent-sla-protocol/1');
      assert.match(target.startLine, new RegExp(`db=${storage} faults=none$`));
    });

    it('streams a valid single run, billed once at the plan price, and answers ping', async () => {
      const user = await newUser(target.url, 'pro');
      const socket = await mustConnect(target.wsUrl, user.accessToken);
      assert.equal(socket.hello.type, 'connection_established');
      assert.equal(socket.hello.user_id, user.userId);
      socket.send({ type: 'ping', ts: 42 });
      assert.deepEqual(await socket.next(), { type: 'pong', ts: 42 });
      const events = await socket.run({ request_id: randomUUID() });
      assert.deepEqual(validateRun(events, 'single'), { ok: true, violations: [] });
      const completed = events.at(-1);
      const usage = await getJson(`${target.url}/billing/usage?run_id=${completed.run_id}`, user.accessToken);
      assert.equal(usage.status, 200);
      assert.equal(usage.body.records.length, 1);
      const record = usage.body.records[0];
      const tokens = completed.usage.input_tokens + completed.usage.output_tokens;
      assert.equal(record.amount_micros, tokens * 2);
      assert.equal(record.plan, 'pro');
      socket.close();
    });

    it('streams a valid orchestration run whose data agent queried the database', async () => {
      const user = await newUser(target.url, 'enterprise');
      const socket = await mustConnect(target.wsUrl, user.accessToken, 'subprotocol');
      assert.equal(socket.ws.protocol, 'jwt-auth');
      await socket.run({ request_id: randomUUID() });
      const events = await socket.run({ request_id: randomUUID(), mode: 'orchestration' });
      assert.deepEqual(validateRun(events, 'orchestration'), { ok: true, violations: [] });
      const handoffs = events.filter((e) => e.type === 'agent_handoff').map((e) => `${e.from}>${e.to}`);
      assert.deepEqual(handoffs, ['supervisor>triage', 'triage>data', 'data>actions']);
      const lookup = events.find((e) => e.type === 'tool_completed' && e.tool === 'billing_lookup');
      assert.equal(lookup.ok, true);
      assert.equal(lookup.result.runs, 1, 'the data agent sees the earlier billed run');
      const summary = await getJson(`${target.url}/billing/summary`, user.accessToken);
      assert.equal(summary.body.runs, 2);
      assert.equal(summary.body.plan, 'enterprise');
      socket.close();
    });

    it('bills once when the same request_id is sent twice at once, and replays the first run', async () => {
      const user = await newUser(target.url);
      const a = await mustConnect(target.wsUrl, user.accessToken);
      const b = await mustConnect(target.wsUrl, user.accessToken);
      const requestId = randomUUID();
      const [first, second] = await Promise.all([a.run({ request_id: requestId }), b.run({ request_id: requestId })]);
      assert.deepEqual(second, first);
      assert.equal(validateRun(first, 'single').ok, true);
      const summary = await getJson(`${target.url}/billing/summary`, user.accessToken);
      assert.equal(summary.body.runs, 1);
      a.close();
      b.close();
    });

    it('bills once when the socket drops mid-run and the request is retried', async () => {
      const user = await newUser(target.url);
      const socket = await mustConnect(target.wsUrl, user.accessToken);
      const requestId = randomUUID();
      socket.send({ type: 'user_message', request_id: requestId, content: 'hello' });
      await socket.next(); // the run has started
      socket.ws.terminate();
      const retry = await mustConnect(target.wsUrl, user.accessToken);
      const events = await retry.run({ request_id: requestId });
      assert.equal(validateRun(events, 'single').ok, true);
      const summary = await getJson(`${target.url}/billing/summary`, user.accessToken);
      assert.equal(summary.body.runs, 1);
      retry.close();
    });
  });
}
