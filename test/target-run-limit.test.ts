import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { CLOSE_RATE_LIMITED } from '../lib/protocol/index.ts';
import { validateRun } from '../lib/dialects/agent-sla.ts';
import { newUser, spawnTarget, type SpawnedTarget } from './support/target.ts';
import { mustConnect } from './support/target-socket.ts';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

// PostgreSQL rather than in-process PGlite, so the test can count the rows the target wrote.
describe('target per-plan concurrent-run limit (4429)', () => {
  const dbName = `agent_sla_rl_${randomBytes(6).toString('hex')}`;
  let target: SpawnedTarget;
  let db: pg.Client;

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

  async function waitUntilRunning(requestId: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      if (await count("SELECT count(*) AS n FROM runs WHERE request_id = $1 AND status = 'running'", [requestId]) === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`run ${requestId} never showed up as running`);
  }

  const closeCode = (closed: Promise<{ code: number }>): Promise<number | 'still open'> => {
    let timer: NodeJS.Timeout | undefined;
    const open = new Promise<'still open'>((resolve) => { timer = setTimeout(() => resolve('still open'), 20_000); });
    return Promise.race([closed.then((c) => c.code), open]).finally(() => clearTimeout(timer));
  };

  before(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;
    // Time scale 1: a run lasts about a second, so the first run is surely still in flight when the second message lands.
    target = await spawnTarget({ databaseUrl: url, env: { TARGET_MAX_CONCURRENT_RUNS: 'free:1,pro:2', TARGET_AGENT_TIME_SCALE: '1' } });
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });
  after(async () => {
    await db?.end();
    await target?.stop();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('closes the over-limit socket with 4429, writes no row for it, and leaves other users alone', async () => {
    const limited = await newUser(target.url, 'free');
    const other = await newUser(target.url, 'free');
    const first = await mustConnect(target.wsUrl, limited.accessToken);
    const second = await mustConnect(target.wsUrl, limited.accessToken);
    const bystander = await mustConnect(target.wsUrl, other.accessToken);

    const firstId = randomUUID();
    const refusedId = randomUUID();
    const firstRun = first.run({ request_id: firstId });
    await waitUntilRunning(firstId);
    second.send({ type: 'user_message', request_id: refusedId, content: 'one run too many' });
    const bystanderRun = bystander.run({ request_id: randomUUID() });

    assert.equal(await closeCode(second.closed), CLOSE_RATE_LIMITED);
    assert.deepEqual(validateRun(await firstRun, 'single'), { ok: true, violations: [] });
    assert.deepEqual(validateRun(await bystanderRun, 'single'), { ok: true, violations: [] });

    assert.equal(await count('SELECT count(*) AS n FROM runs WHERE request_id = $1', [refusedId]), 0);
    assert.equal(await count('SELECT count(*) AS n FROM billing_records WHERE request_id = $1', [refusedId]), 0);
    assert.equal(await count('SELECT count(*) AS n FROM runs WHERE user_id = $1', [limited.userId]), 1);
    assert.equal(await count('SELECT count(*) AS n FROM billing_records WHERE user_id = $1', [limited.userId]), 1);
    assert.equal(await count('SELECT count(*) AS n FROM billing_records WHERE user_id = $1', [other.userId]), 1);

    // The refusal closed only the offending socket.
    first.send({ type: 'ping', ts: 7 });
    assert.deepEqual(await first.next(), { type: 'pong', ts: 7 });

    // Once the first run is done the slot is free again.
    const again = await first.run({ request_id: randomUUID() });
    assert.equal(again.at(-1).type, 'agent_completed');
    assert.equal(await count('SELECT count(*) AS n FROM billing_records WHERE user_id = $1', [limited.userId]), 2);
    for (const socket of [first, bystander]) socket.close();
  });

  it('lets a pro user run two at once on one socket, closes the third with 4429, and bills two', async () => {
    const user = await newUser(target.url, 'pro');
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) socket.send({ type: 'user_message', request_id: id, content: 'x' });
    assert.equal(await closeCode(socket.closed), CLOSE_RATE_LIMITED);
    // Both accepted runs must have been claimed (written as running) and then finished; on a busy machine the claim
    // itself may land after the 4429 close.
    const settled = async (): Promise<boolean> =>
      await count("SELECT count(*) AS n FROM runs WHERE user_id = $1 AND status <> 'running'", [user.userId]) >= 2;
    for (let i = 0; i < 800 && !(await settled()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(await count('SELECT count(*) AS n FROM billing_records WHERE user_id = $1', [user.userId]), 2);
    assert.equal(await count('SELECT count(*) AS n FROM runs WHERE request_id = $1', [ids[2]]), 0);
    // A replay of a billed request on a new socket is answered without a second charge.
    const again = await mustConnect(target.wsUrl, user.accessToken);
    const replay = await again.run({ request_id: ids[0]! });
    again.close();
    assert.equal(validateRun(replay, 'single').ok, true);
    assert.equal(await count('SELECT count(*) AS n FROM billing_records WHERE user_id = $1', [user.userId]), 2);
  });

  it('refuses a bad limit at start with a one-line error', async () => {
    await assert.rejects(
      spawnTarget({ env: { TARGET_MAX_CONCURRENT_RUNS: 'free:0' } }),
      (error: Error) => /exited with 2: agent-sla target: TARGET_MAX_CONCURRENT_RUNS free: "0" must be an integer/.test(error.message)
        && !error.message.trim().includes('\n'),
    );
  });
});
