import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createThrowawayDatabase, STORAGE_KINDS, type ThrowawayDatabase } from './support/db.ts';
import { getJson, newUser, postJson, spawnTarget, type SpawnedTarget, type TestUser } from './support/target.ts';
import { mustConnect } from './support/target-socket.ts';

/** SQL and LIKE meta-characters, quotes, a backslash and a NUL (PostgreSQL text cannot hold NUL). */
const SQL_META = `'; DROP TABLE users; -- " \\ %_ \u0000`;
const SQL_META_NO_NUL = SQL_META.replace('\u0000', '');

/** Sends raw bytes and returns the status line of the answer. */
function rawHttp(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString(); });
    socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

for (const storage of STORAGE_KINDS) {
  describe(`target bad-input corpus on ${storage}`, { timeout: 120_000 }, () => {
    let database: ThrowawayDatabase | undefined;
    let target: SpawnedTarget;
    let user: TestUser;
    let other: TestUser;
    const rows = async () => (await target.stats()).rows;

    before(async () => {
      if (storage === 'postgres') database = await createThrowawayDatabase('agent_sla_bad');
      target = await spawnTarget(database ? { databaseUrl: database.url } : {});
      user = await newUser(target.url);
      other = await newUser(target.url);
    });
    after(async () => {
      await target?.stop();
      await database?.drop();
    });

    it('answers malformed, oversize and hostile HTTP bodies with 4xx and writes no row', async () => {
      const before = await rows();
      const cases: Array<[string, unknown]> = [
        ['/auth/signup', '{"email": '],
        ['/auth/signup', '[1,2]'],
        ['/auth/signup', 'null'],
        ['/auth/signup', { email: 'x'.repeat(10_000) + '@a.b', password: 'long-enough-pw' }],
        ['/auth/signup', { email: SQL_META, password: 'long-enough-pw' }],
        ['/auth/signup', { email: `${randomUUID()}@ex.test`, password: 'long-enough-pw', plan: SQL_META }],
        ['/auth/signup', { email: `${randomUUID()}@ex.test`, password: SQL_META }],
        ['/auth/signup', { email: `${randomUUID()}@ex.test`, password: 'short' }],
        ['/auth/signup', { email: `${randomUUID()}@ex.test`, password: 12345678 }],
        ['/auth/login', { email: SQL_META, password: SQL_META }],
        ['/auth/login', { email: `' OR 1=1 --@x.y`, password: `' OR '1'='1` }],
        ['/auth/login', { email: user.email, password: `' OR '1'='1` }],
        ['/auth/refresh', { refresh_token: SQL_META }],
        ['/auth/refresh', { refresh_token: `' OR revoked = false --` }],
        ['/auth/refresh', '{'],
        ['/admin/faults', { faults: SQL_META }],
      ];
      for (const [path, body] of cases) {
        const res = await postJson(`${target.url}${path}`, body);
        const label = `${path} ${JSON.stringify(body).slice(0, 60)}`;
        assert.ok(res.status >= 400 && res.status < 500, `${label} → ${res.status}`);
        assert.equal(typeof res.body.error.code, 'string', label);
        assert.ok(!JSON.stringify(res.body).includes('OR'), `${label}: the error echoes the input`);
      }
      const oversize = await postJson(`${target.url}/auth/signup`, { email: 'a@b.c', password: 'x'.repeat(200_000) });
      assert.equal(oversize.status, 413);
      const port = Number(new URL(target.url).port);
      assert.equal(await rawHttp(port, 'NOT-HTTP\r\n\r\n'), 'HTTP/1.1 400 Bad Request');
      assert.deepEqual(await rows(), before);
      assert.equal((await getJson(`${target.url}/health`)).status, 200);
    });

    it('answers hostile query strings and cross-user reads with 4xx, and never replays another user\'s run', async () => {
      const socket = await mustConnect(target.wsUrl, other.accessToken);
      const requestId = randomUUID();
      const theirs = await socket.run({ request_id: requestId });
      socket.close();
      const runId = theirs.at(-1).run_id;
      const before = await rows();
      const foreign = await getJson(`${target.url}/billing/usage?run_id=${runId}`, user.accessToken);
      assert.equal(foreign.status, 404);
      assert.ok(!JSON.stringify(foreign.body).includes(other.userId));
      for (const hostile of [SQL_META, SQL_META_NO_NUL, `${runId}' OR '1'='1`, 'x'.repeat(1000)]) {
        const res = await getJson(`${target.url}/billing/usage?run_id=${encodeURIComponent(hostile)}`, user.accessToken);
        assert.ok(res.status === 400 || res.status === 404, `${hostile.slice(0, 30)} → ${res.status}`);
      }
      assert.equal((await getJson(`${target.url}/billing/usage`)).status, 401);
      assert.equal((await getJson(`${target.url}/billing/summary`)).status, 401);
      assert.equal((await getJson(`${target.url}/billing/usage`, user.accessToken)).body.records.length, 0);
      assert.equal((await getJson(`${target.url}/billing/summary`, user.accessToken)).body.runs, 0);
      assert.deepEqual(await rows(), before);

      // The same request_id from another user is that user's own new run, never a replay of the first user's.
      const mine = await mustConnect(target.wsUrl, user.accessToken);
      const own = await mine.run({ request_id: requestId });
      mine.close();
      assert.notEqual(own.at(-1).run_id, runId);
      assert.equal((await getJson(`${target.url}/billing/summary`, user.accessToken)).body.runs, 1);
      assert.equal((await getJson(`${target.url}/billing/summary`, other.accessToken)).body.runs, 1);
    });

    const frames: Array<[string, string]> = [
      ['malformed JSON', '{"type": "user_message", '],
      ['a JSON array', '[1, 2, 3]'],
      ['unknown type', JSON.stringify({ type: 'delete_everything' })],
      ['a server event type', JSON.stringify({ type: 'agent_completed', request_id: 'r', agent: 'assistant' })],
      ['missing request_id', JSON.stringify({ type: 'user_message', content: 'x' })],
      ['request_id not a string', JSON.stringify({ type: 'user_message', request_id: { $ne: 1 }, content: 'x' })],
      ['missing content', JSON.stringify({ type: 'user_message', request_id: 'r' })],
      ['SQL in mode', JSON.stringify({ type: 'user_message', request_id: 'r', content: 'x', mode: SQL_META })],
      ['NUL in content', JSON.stringify({ type: 'user_message', request_id: 'r', content: SQL_META })],
      ['NUL in request_id', JSON.stringify({ type: 'user_message', request_id: SQL_META, content: 'x' })],
      ['NUL in thread_id', JSON.stringify({ type: 'user_message', request_id: 'r', thread_id: SQL_META, content: 'x' })],
      ['oversize request_id', JSON.stringify({ type: 'user_message', request_id: 'r'.repeat(500), content: 'x' })],
    ];
    for (const [label, frame] of frames) {
      it(`closes the socket with 1008 on ${label} and writes no run`, async () => {
        const before = await rows();
        const socket = await mustConnect(target.wsUrl, user.accessToken);
        socket.send(frame);
        assert.equal((await socket.closed).code, 1008);
        assert.deepEqual(await rows(), before);
      });
    }

    it('closes the socket with 1008 on a binary frame and 1009 on an oversize frame, writing no run', async () => {
      const before = await rows();
      const binary = await mustConnect(target.wsUrl, user.accessToken);
      binary.ws.send(Buffer.from(JSON.stringify({ type: 'user_message', request_id: 'bin', content: 'x' })));
      assert.equal((await binary.closed).code, 1008);
      const big = await mustConnect(target.wsUrl, user.accessToken);
      big.send(JSON.stringify({ type: 'user_message', request_id: 'big', content: 'x'.repeat(100_000) }));
      assert.equal((await big.closed).code, 1009);
      assert.deepEqual(await rows(), before);
      assert.equal((await getJson(`${target.url}/health`)).status, 200);
    });

    it('stores SQL meta-characters in request_id, thread_id and content as plain data, and replays them intact', async () => {
      const socket = await mustConnect(target.wsUrl, user.accessToken);
      const message = { request_id: SQL_META_NO_NUL, thread_id: `${SQL_META_NO_NUL}-thread`, content: SQL_META_NO_NUL };
      const events = await socket.run(message);
      assert.equal(events.at(-1).type, 'agent_completed');
      assert.equal(events.at(-1).thread_id, message.thread_id);
      const replay = await socket.run(message);
      assert.deepEqual(replay, events);
      socket.close();
      const usage = await getJson(`${target.url}/billing/usage?run_id=${encodeURIComponent(events.at(-1).run_id)}`, user.accessToken);
      assert.equal(usage.body.records.length, 1);
      assert.equal(usage.body.records[0].request_id, SQL_META_NO_NUL);
      assert.equal((await getJson(`${target.url}/health`)).status, 200);
    });
  });
}
