import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { validateRun } from '../lib/dialects/agent-sla.ts';
import { createThrowawayDatabase, STORAGE_KINDS, type ThrowawayDatabase } from './support/db.ts';
import { getJson, newUser, spawnTarget, type SpawnedTarget } from './support/target.ts';
import { mustConnect } from './support/target-socket.ts';

for (const storage of STORAGE_KINDS) {
  describe(`target runs and billing on ${storage}`, { timeout: 120_000 }, () => {
    let target: SpawnedTarget;
    let database: ThrowawayDatabase | undefined;

    before(async () => {
      if (storage === 'postgres') database = await createThrowawayDatabase();
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

    it('keeps 30 interleaved concurrent runs valid and bills each exactly once at the plan price', async () => {
      const user = await newUser(target.url, 'free');
      const sockets = await Promise.all(Array.from({ length: 5 }, () => mustConnect(target.wsUrl, user.accessToken)));
      const modes = new Map<string, 'single' | 'orchestration'>();
      const runs = await Promise.all(sockets.map(async (socket, s) => {
        for (let i = 0; i < 6; i++) {
          const requestId = randomUUID();
          const mode = (s + i) % 3 === 0 ? 'orchestration' : 'single';
          modes.set(requestId, mode);
          socket.send({ type: 'user_message', request_id: requestId, content: `run ${s}.${i}`, mode });
        }
        const byRequest = new Map<string, any[]>();
        let ended = 0;
        while (ended < 6) {
          const event = await socket.next();
          const events = byRequest.get(event.request_id) ?? [];
          byRequest.set(event.request_id, events);
          events.push(event);
          const top = modes.get(event.request_id) === 'orchestration' ? 'supervisor' : 'assistant';
          if (event.type === 'agent_error' || (event.type === 'agent_completed' && event.agent === top)) ended++;
        }
        socket.close();
        return [...byRequest.entries()];
      }));
      let expectedMicros = 0;
      for (const [requestId, events] of runs.flat()) {
        assert.deepEqual(validateRun(events, modes.get(requestId)!), { ok: true, violations: [] }, requestId);
        const usage = events.at(-1).usage;
        expectedMicros += (usage.input_tokens + usage.output_tokens) * 3;
      }
      assert.equal(runs.flat().length, 30);
      const summary = await getJson(`${target.url}/billing/summary`, user.accessToken);
      assert.equal(summary.body.runs, 30);
      assert.equal(summary.body.amount_micros, expectedMicros);
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
