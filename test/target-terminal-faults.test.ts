import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { getJson, newUser, spawnTarget, type SpawnedTarget } from './support/target.ts';
import { mustConnect } from './support/target-socket.ts';

/** The two faults on a run's end, in the contract's own dialect (the other dialects test them in their own files). */
describe('target faults on the terminal event (agent-sla dialect)', { timeout: 120_000 }, () => {
  let target: SpawnedTarget;

  before(async () => {
    target = await spawnTarget();
  });
  after(() => target?.stop());

  it('agent-error ends every run with agent_error injected_fault and bills nothing', async () => {
    await target.setFaults('agent-error');
    const user = await newUser(target.url);
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    for (const mode of ['single', 'orchestration'] as const) {
      const events = await socket.run({ request_id: randomUUID(), mode });
      const last = events.at(-1);
      assert.equal(last.type, 'agent_error');
      assert.equal(last.code, 'injected_fault');
      assert.equal(events.filter((e) => e.type === 'agent_error' || (e.type === 'agent_completed' && e.agent === last.agent)).length, 1);
    }
    assert.equal((await getJson(`${target.url}/billing/summary`, user.accessToken)).body.runs, 0);
    socket.close();
  });

  it('no-terminal streams the run but never its agent_completed; the server still completes and bills it', async () => {
    await target.setFaults('no-terminal');
    const user = await newUser(target.url);
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    const requestId = randomUUID();
    socket.send({ type: 'user_message', request_id: requestId, content: 'x' });
    const first = await socket.next();
    await target.settled();
    socket.send({ type: 'ping', ts: 1 });
    const events = [first];
    for (let frame = await socket.next(); frame.type !== 'pong'; frame = await socket.next()) events.push(frame);
    assert.equal(events[0].type, 'agent_started');
    assert.ok(events.every((e) => e.request_id === requestId && e.type !== 'agent_completed' && e.type !== 'agent_error'));
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
    assert.equal((await getJson(`${target.url}/billing/summary`, user.accessToken)).body.runs, 1);
    await target.setFaults('');
    socket.close();
  });
});
