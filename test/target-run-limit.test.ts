import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { validateRun } from '../lib/protocol/index.ts';
import { getJson, newUser, spawnTarget, type SpawnedTarget } from './support/target.ts';
import { mustConnect } from './support/target-socket.ts';

/** Waits (bounded by count) until the target has no run in flight. */
async function settle(target: SpawnedTarget): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await target.stats()).active_runs === 0) return;
    await delay(50);
  }
  throw new Error('runs still in flight');
}

describe('target per-plan concurrent-run limit', { timeout: 60_000 }, () => {
  let target: SpawnedTarget;

  before(async () => {
    // Runs of a few seconds, so a second run surely starts while the first is still going.
    target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '1', TARGET_RUN_LIMITS: 'free:1,pro:2' }, faults: 'slow-agents:3' });
  });
  after(() => target?.stop());

  it('closes with 4429 a free user\'s second run on another socket, writes no row for it, and finishes the first', async () => {
    const user = await newUser(target.url, 'free');
    const a = await mustConnect(target.wsUrl, user.accessToken);
    const b = await mustConnect(target.wsUrl, user.accessToken);
    const before = (await target.stats()).rows;
    const requestId = randomUUID();
    a.send({ type: 'user_message', request_id: requestId, content: 'first' });
    const events = [await a.next()]; // the first run has started and holds the free plan's only slot
    b.send({ type: 'user_message', request_id: randomUUID(), content: 'second' });
    assert.equal((await b.closed).code, 4429);
    while (events.at(-1).type !== 'agent_completed' && events.at(-1).type !== 'agent_error') events.push(await a.next());
    assert.deepEqual(validateRun(events, 'single'), { ok: true, violations: [] });
    a.close();
    await settle(target);
    const afterwards = (await target.stats()).rows;
    assert.equal(afterwards.runs - before.runs, 1);
    assert.equal(afterwards.billing_records - before.billing_records, 1);
  });

  it('lets a pro user run two at once and closes the third with 4429', async () => {
    const user = await newUser(target.url, 'pro');
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    for (let i = 0; i < 3; i++) socket.send({ type: 'user_message', request_id: `pro-${i}`, content: 'x' });
    assert.equal((await socket.closed).code, 4429);
    await settle(target);
    const summary = await getJson(`${target.url}/billing/summary`, user.accessToken);
    assert.equal(summary.body.runs, 2);
    const again = await mustConnect(target.wsUrl, user.accessToken);
    const replay = await again.run({ request_id: 'pro-0' });
    again.close();
    assert.equal(validateRun(replay, 'single').ok, true);
  });
});
