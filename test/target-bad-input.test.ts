import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { getJson, newUser, postJson, spawnTarget, type SpawnedTarget, type TestUser } from './support/target.ts';
import { mustConnect } from './support/target-socket.ts';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SQL_META = `'; DROP TABLE users; -- " \\ %_ \u0000`;

/** Runs against PostgreSQL so the test can count rows itself. */
describe('target bad-input corpus', () => {
  const name = `agent_sla_bad_${randomBytes(6).toString('hex')}`;
  let db: pg.Client;
  let target: SpawnedTarget;
  let user: TestUser;
  let other: TestUser;
  const counts = async () => {
    const { rows } = await db.query(
      'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM runs)::int AS runs, (SELECT count(*) FROM billing_records)::int AS billing',
    );
    return rows[0];
  };

  before(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    target = await spawnTarget({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}` });
    db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${name}` });
    await db.connect();
    user = await newUser(target.url);
    other = await newUser(target.url);
  });
  after(async () => {
    await db?.end();
    await target?.stop();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('answers malformed, oversize and hostile HTTP bodies with 4xx and writes no row', async () => {
    const before = await counts();
    const cases: Array<[string, unknown]> = [
      ['/auth/signup', '{"email": '],
      ['/auth/signup', '[1,2]'],
      ['/auth/signup', { email: 'x'.repeat(100_000) + '@a.b', password: 'long-enough-pw' }],
      ['/auth/signup', { email: SQL_META, password: 'long-enough-pw' }],
      ['/auth/signup', { email: `${randomUUID()}@ex.test`, password: 'long-enough-pw', plan: SQL_META }],
      ['/auth/signup', { email: `${randomUUID()}@ex.test`, password: 'short' }],
      ['/auth/login', { email: SQL_META, password: SQL_META }],
      ['/auth/login', { email: `' OR 1=1 --@x.y`, password: `' OR '1'='1` }],
      ['/auth/refresh', { refresh_token: SQL_META }],
      ['/auth/refresh', '{'],
    ];
    for (const [path, body] of cases) {
      const res = await postJson(`${target.url}${path}`, body);
      assert.ok(res.status >= 400 && res.status < 500, `${path} ${JSON.stringify(body).slice(0, 60)} → ${res.status}`);
      assert.equal(typeof res.body.error.code, 'string');
    }
    const oversize = await postJson(`${target.url}/auth/signup`, { email: 'a@b.c', password: 'x'.repeat(200_000) });
    assert.equal(oversize.status, 413);
    assert.deepEqual(await counts(), before);
    assert.equal((await getJson(`${target.url}/health`)).status, 200);
  });

  it('answers hostile query strings and cross-user billing reads with 4xx', async () => {
    const socket = await mustConnect(target.wsUrl, other.accessToken);
    const events = await socket.run({ request_id: randomUUID() });
    socket.close();
    const foreign = await getJson(`${target.url}/billing/usage?run_id=${events.at(-1).run_id}`, user.accessToken);
    assert.equal(foreign.status, 404);
    const hostile = await getJson(`${target.url}/billing/usage?run_id=${encodeURIComponent(SQL_META)}`, user.accessToken);
    assert.ok(hostile.status === 400 || hostile.status === 404, String(hostile.status));
    assert.equal((await getJson(`${target.url}/billing/usage`, undefined)).status, 401);
    assert.equal((await getJson(`${target.url}/billing/usage`, user.accessToken)).body.records.length, 0);
  });

  const frames: Array<[string, string]> = [
    ['malformed JSON', '{"type": "user_message", '],
    ['unknown type', JSON.stringify({ type: 'delete_everything' })],
    ['missing request_id', JSON.stringify({ type: 'user_message', content: 'x' })],
    ['bad mode', JSON.stringify({ type: 'user_message', request_id: 'r', content: 'x', mode: SQL_META })],
    ['NUL in content', JSON.stringify({ type: 'user_message', request_id: 'r', content: SQL_META })],
    ['oversize request_id', JSON.stringify({ type: 'user_message', request_id: 'r'.repeat(500), content: 'x' })],
  ];
  for (const [label, frame] of frames) {
    it(`closes the socket with 1008 on ${label} and writes no run`, async () => {
      const before = await counts();
      const socket = await mustConnect(target.wsUrl, user.accessToken);
      socket.send(frame);
      assert.equal((await socket.closed).code, 1008);
      assert.deepEqual(await counts(), before);
    });
  }

  it('closes the socket with 1009 on an oversize frame', async () => {
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    socket.send(JSON.stringify({ type: 'user_message', request_id: 'big', content: 'x'.repeat(100_000) }));
    assert.equal((await socket.closed).code, 1009);
  });

  it('stores SQL meta-characters in run fields as plain data', async () => {
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    const events = await socket.run({ request_id: SQL_META.replace('\u0000', ''), content: SQL_META.replace('\u0000', '') });
    socket.close();
    assert.equal(events.at(-1).type, 'agent_completed');
    assert.equal((await getJson(`${target.url}/health`)).status, 200);
  });
});
