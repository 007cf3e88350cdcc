import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { validateRun } from '../lib/dialects/agent-sla.ts';
import { ConfigError, readOptions } from '../target/config.ts';
import { AgentSlots, QueueFull, RunCancelled } from '../target/agents/agent-slots.ts';
import { getJson, newUser, spawnTarget, type SpawnedTarget, type TestUser } from './support/target.ts';
import { postSse } from './support/sse.ts';
import { mustConnect, type TestSocket } from './support/target-socket.ts';

/** /admin/stats' view of the capacity knob. */
interface SlotStats { slots: number; run_ms: number; queue_cap: number; busy: number; queued: number; peak_busy: number; refused: number; left_queue: number }

async function slotStats(target: SpawnedTarget): Promise<SlotStats> {
  const stats = (await target.stats()) as unknown as { agent_slots: SlotStats | null };
  assert.ok(stats.agent_slots, 'agent_slots is null: the knob is not set');
  return stats.agent_slots;
}

async function waitForSlots(target: SpawnedTarget, what: string, ok: (stats: SlotStats) => boolean, timeoutMs = 20_000): Promise<SlotStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await slotStats(target);
    if (ok(stats)) return stats;
    if (Date.now() > deadline) throw new Error(`agent slots never ${what}: ${JSON.stringify(stats)}`);
    await sleep(20);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface TimedRun {
  requestId: string;
  events: any[];
  /** From sending user_message to the server stamping the run's terminal event. */
  responseMs: number;
  /** The terminal event's ts (ms since epoch, the server's clock, which is this machine's). */
  doneAt: number;
}

/**
 * Several runs in flight on one socket at once: frames are told apart by request_id, and each run is timed from its
 * user_message to its terminal event (the top agent's agent_completed, or agent_error). The end is the server's
 * stamp, not the arrival here, so a busy test process does not add to what the server did.
 */
function runClient(socket: TestSocket) {
  const pending = new Map<string, { events: any[]; top: string; sentAt: number; resolve: (run: TimedRun) => void }>();
  socket.ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const run = pending.get(frame.request_id);
    if (!run) return;
    run.events.push(frame);
    if (frame.type === 'agent_error' || (frame.type === 'agent_completed' && frame.agent === run.top)) {
      pending.delete(frame.request_id);
      run.resolve({ requestId: frame.request_id, events: run.events, responseMs: frame.ts - run.sentAt, doneAt: frame.ts });
    }
  });
  return {
    start(mode: 'single' | 'orchestration' = 'single', requestId = randomUUID()): Promise<TimedRun> {
      return new Promise((resolve) => {
        pending.set(requestId, { events: [], top: mode === 'single' ? 'assistant' : 'supervisor', sentAt: Date.now(), resolve });
        socket.send({ type: 'user_message', request_id: requestId, content: 'how much have I spent?', mode });
      });
    },
  };
}

/** Starts `count` runs at a steady rate (an open model: arrivals do not wait for completions). */
async function atRate(count: number, perSecond: number, start: (i: number) => Promise<TimedRun>): Promise<Promise<TimedRun>[]> {
  const t0 = performance.now();
  const runs: Promise<TimedRun>[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(t0 + (i * 1000) / perSecond - performance.now());
    runs.push(start(i));
  }
  return runs;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}

/** Sends a ping and waits for its pong, whatever frames came before it. */
function ping(socket: TestSocket, ts: number): Promise<any> {
  return new Promise((resolve) => {
    const onFrame = (data: unknown): void => {
      const frame = JSON.parse(String(data));
      if (frame.type !== 'pong') return;
      socket.ws.off('message', onFrame);
      resolve(frame);
    };
    socket.ws.on('message', onFrame);
    socket.send({ type: 'ping', ts });
  });
}

const quantile = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)]!;

describe('target capacity knob: parsing', () => {
  const capacityOf = (argv: string[], env: Record<string, string>) => readOptions(argv, env).capacity;

  it('reads <slots>x<run time>[,queue:<max>] from --capacity or TARGET_CAPACITY, the flag first', () => {
    assert.deepEqual(capacityOf([], { TARGET_CAPACITY: '8x200ms' }), { slots: 8, runMs: 200, queueCap: 10_000 });
    assert.deepEqual(capacityOf(['--capacity', '2x1.5s,queue:0'], { TARGET_CAPACITY: '8x200ms' }), { slots: 2, runMs: 1500, queueCap: 0 });
    assert.deepEqual(capacityOf(['--capacity=16x50ms,queue:64'], {}), { slots: 16, runMs: 50, queueCap: 64 });
    assert.equal(capacityOf([], {}), undefined);
  });

  it('refuses a bad value with one line that shows the syntax', () => {
    for (const bad of ['8x200', '0x200ms', '8x0ms', '8x11m', '8x200ms,queue:', '8x200ms,queue:-1', '8 slots', 'x200ms', '8x200ms,depth:5']) {
      assert.throws(() => readOptions(['--capacity', bad], {}), (error: Error) =>
        error instanceof ConfigError && error.message.startsWith(`capacity: "${bad}" must be <slots>x<run time>[,queue:<max waiting>]`)
          && !error.message.includes('\n'), bad);
    }
  });

  it('makes the target exit 2 at start on a bad TARGET_CAPACITY', async () => {
    await assert.rejects(spawnTarget({ env: { TARGET_CAPACITY: '8x200' } }),
      (error: Error) => /exited with 2: agent-sla target: capacity: "8x200" must be/.test(error.message) && !error.message.trim().includes('\n'));
  });
});

describe('target capacity knob: the slots, in process', () => {
  it('grants free slots at once, then hands each freed slot to the longest waiter', async () => {
    const slots = new AgentSlots({ slots: 2, runMs: 1000, queueCap: 10 });
    const open = new AbortController().signal;
    const first = await slots.acquire(1, open);
    await slots.acquire(1, open);
    const granted: number[] = [];
    const waiters = [1, 2, 3].map((n) => slots.acquire(1, open).then((slot) => { granted.push(n); return slot; }));
    assert.deepEqual({ busy: slots.stats().busy, queued: slots.stats().queued }, { busy: 2, queued: 3 });
    first.free();
    first.free();
    (await waiters[0]!).free();
    await waiters[1];
    assert.deepEqual(granted, [1, 2]);
    assert.deepEqual({ busy: slots.stats().busy, queued: slots.stats().queued, peak_busy: slots.stats().peak_busy }, { busy: 2, queued: 1, peak_busy: 2 });
  });

  it('refuses a run over the queue cap, and lets a run whose client left go, from the queue or from its slot', async () => {
    const slots = new AgentSlots({ slots: 1, runMs: 1000, queueCap: 1 });
    const working = new AbortController();
    const held = await slots.acquire(1, working.signal);
    const leaving = new AbortController();
    const waiting = slots.acquire(1, leaving.signal);
    await assert.rejects(slots.acquire(1, new AbortController().signal), QueueFull);
    leaving.abort();
    await assert.rejects(waiting, RunCancelled);
    const pause = held.pause(500);
    working.abort();
    await assert.rejects(pause, RunCancelled);
    held.free();
    assert.deepEqual(slots.stats(), { slots: 1, run_ms: 1000, queue_cap: 1, busy: 0, queued: 0, peak_busy: 1, refused: 1, left_queue: 1 });
  });

  it('holds a slot for exactly the run time, pauses included, and the slow-agents factor stretches it', async () => {
    const slots = new AgentSlots({ slots: 1, runMs: 60, queueCap: 1 });
    const open = new AbortController().signal;
    for (const factor of [1, 2]) {
      const start = performance.now();
      const slot = await slots.acquire(factor, open);
      await slot.pause(20);
      await slot.finish();
      const took = performance.now() - start;
      assert.ok(took >= 60 * factor - 1 && took < 60 * factor + 200, `held ${took.toFixed(1)} ms at factor ${factor}`);
    }
  });
});

// 4 slots of 400 ms: a true capacity of 10 runs a second. spawnTarget sets TARGET_AGENT_TIME_SCALE=0.05, under which
// a run would take about 65 ms: the knob's run time wins.
describe('target capacity knob: 4x400ms', { timeout: 120_000 }, () => {
  const SLOTS = 4;
  const RUN_MS = 400;
  const CAPACITY_PER_S = (SLOTS * 1000) / RUN_MS;
  let target: SpawnedTarget;
  let user: TestUser;
  const sockets: TestSocket[] = [];

  before(async () => {
    target = await spawnTarget({ env: { TARGET_CAPACITY: `${SLOTS}x${RUN_MS}ms` } });
    user = await newUser(target.url, 'enterprise');
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await target?.stop();
  });
  const openSocket = async (): Promise<TestSocket> => {
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    sockets.push(socket);
    return socket;
  };

  it('reports the knob in the start line and in /admin/stats', async () => {
    assert.match(target.startLine, / faults=none capacity=4x400ms,queue:10000$/);
    assert.deepEqual(await slotStats(target), {
      slots: 4, run_ms: 400, queue_cap: 10_000, busy: 0, queued: 0, peak_busy: 0, refused: 0, left_queue: 0,
    });
  });

  it('below capacity (half of it), every run, single or orchestration, takes about the knob\'s run time', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(async () => runClient(await openSocket())));
    // A fresh process answers its first runs late (compilation, the database's first queries): not what is measured here.
    await Promise.all([clients[0]!.start('single'), clients[1]!.start('orchestration')]);
    const runs = await Promise.all(await atRate(16, CAPACITY_PER_S / 2, (i) => clients[i % 4]!.start(i % 4 === 3 ? 'orchestration' : 'single')));
    for (const run of runs) {
      assert.deepEqual(validateRun(run.events, run.events[0].agent === 'supervisor' ? 'orchestration' : 'single'), { ok: true, violations: [] });
      assert.ok(run.responseMs >= RUN_MS - 2, `a run took ${run.responseMs} ms, under the knob's ${RUN_MS} ms`);
    }
    // Quantiles, not each run: a machine busy with other work stalls the target now and then, and a stall delays every
    // run in flight. Above capacity, each run sent would take 50 ms longer than the one before.
    const times = runs.map((run) => run.responseMs);
    assert.ok(quantile(times, 0.5) < RUN_MS + 150, `median ${quantile(times, 0.5)} ms of ${times.join(', ')}`);
    assert.ok(quantile(times, 0.75) < RUN_MS + 400, `p75 ${quantile(times, 0.75)} ms of ${times.join(', ')}`);
    const orchestrations = runs.filter((run) => run.events[0].agent === 'supervisor').map((run) => run.responseMs);
    assert.equal(orchestrations.length, 4);
    assert.ok(quantile(orchestrations, 0.5) < RUN_MS + 250, `orchestrations took ${orchestrations.join(', ')} ms`);
    const stats = await slotStats(target);
    assert.equal(stats.busy, 0);
    assert.equal(stats.queued, 0);
    assert.equal(stats.refused, 0);
    assert.ok(stats.peak_busy <= SLOTS);
  });

  it('above capacity (twice it), exactly 4 runs work at once, the queue and response times grow linearly, 10 runs/s are served', async () => {
    const RATE = CAPACITY_PER_S * 2;
    const COUNT = 40;
    const client = runClient(await openSocket());
    const samples: Array<{ at: number; stats: SlotStats }> = [];
    let sending = true;
    const t0 = performance.now();
    const sampling = (async () => {
      while (sending) {
        samples.push({ at: performance.now() - t0, stats: await slotStats(target) });
        await sleep(100);
      }
    })();
    const started = await atRate(COUNT, RATE, () => client.start());
    const sendWindowMs = performance.now() - t0;
    const runs = await Promise.all(started);
    sending = false;
    await sampling;

    for (const run of runs) assert.equal(run.events.at(-1).type, 'agent_completed', 'no run is refused or lost in a queue of 10000');

    // Saturated: whenever a run waits, every slot is busy, and never more than every slot.
    const waiting = samples.filter((sample) => sample.stats.queued > 0);
    assert.ok(waiting.length >= 5, `the queue was seen non-empty ${waiting.length} times`);
    for (const sample of waiting) assert.equal(sample.stats.busy, SLOTS, `at ${sample.at.toFixed(0)} ms: ${JSON.stringify(sample.stats)}`);
    assert.equal((await slotStats(target)).peak_busy, SLOTS);

    // While arrivals come at twice the capacity, the queue grows by about (20 - 10) runs a second.
    const growth = slope(samples.filter((sample) => sample.at > 300 && sample.at < sendWindowMs).map((sample) => [sample.at / 1000, sample.stats.queued]));
    assert.ok(growth > 0.5 * (RATE - CAPACITY_PER_S) && growth < 1.5 * (RATE - CAPACITY_PER_S), `queue grew ${growth.toFixed(1)} runs/s`);

    // Run i waits for the i/4 groups ahead: its response time grows by 1/10 - 1/20 s = 50 ms per run.
    const perRun = slope(runs.map((run, i) => [i, run.responseMs]));
    const expectedPerRun = 1000 / CAPACITY_PER_S - 1000 / RATE;
    assert.ok(perRun > 0.6 * expectedPerRun && perRun < 1.4 * expectedPerRun, `response time grew ${perRun.toFixed(1)} ms per run`);
    assert.ok(runs.at(-1)!.responseMs > runs[0]!.responseMs + 1000);

    // The true capacity: completions come at slots / run time.
    const throughput = 1000 / slope(runs.map((run, i) => [i, run.doneAt]));
    assert.ok(throughput > 0.85 * CAPACITY_PER_S && throughput < 1.1 * CAPACITY_PER_S, `served ${throughput.toFixed(2)} runs/s`);
  });
});

// One slot, so a run's first frame can only follow the previous run's grant: the frame order on the socket is the
// order the slot served them in, whatever the timers did.
describe('target capacity knob: 1x100ms, first in, first out', { timeout: 120_000 }, () => {
  const RUN_MS = 100;
  let target: SpawnedTarget;
  let user: TestUser;

  before(async () => {
    target = await spawnTarget({ env: { TARGET_CAPACITY: `1x${RUN_MS}ms` } });
    user = await newUser(target.url, 'enterprise');
  });
  after(() => target?.stop());

  it('serves runs in the order they were sent, each after the one before, none starved', async () => {
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    const started: string[] = [];
    socket.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'agent_started' && !started.includes(frame.request_id)) started.push(frame.request_id);
    });
    const client = runClient(socket);
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const runs = await Promise.all(ids.map((id, i) => client.start(i % 3 === 2 ? 'orchestration' : 'single', id)));
    socket.close();
    assert.deepEqual(started, ids);
    for (let i = 1; i < runs.length; i++) {
      assert.equal(runs[i]!.events.at(-1).type, 'agent_completed');
      assert.ok(runs[i]!.events[0].ts >= runs[i - 1]!.doneAt - 1, `run ${i} started before run ${i - 1} was done`);
    }
    assert.ok(runs.at(-1)!.responseMs >= ids.length * RUN_MS - 2, `12 runs through one slot took ${runs.at(-1)!.responseMs} ms`);
    assert.equal((await slotStats(target)).peak_busy, 1);
  });
});

// 2 slots of 3 s and room for 3 to wait: long enough that a slot freed early cannot be mistaken for a run's end.
describe('target capacity knob: a full queue, and clients that leave', { timeout: 120_000 }, () => {
  const RUN_MS = 3000;
  let target: SpawnedTarget;
  let user: TestUser;

  before(async () => {
    target = await spawnTarget({ env: { TARGET_CAPACITY: `2x${RUN_MS}ms,queue:3` } });
    user = await newUser(target.url, 'enterprise');
  });
  after(() => target?.stop());

  const replay = async (requestId: string): Promise<any[]> => {
    const socket = await mustConnect(target.wsUrl, user.accessToken);
    try {
      return await socket.run({ request_id: requestId });
    } finally {
      socket.close();
    }
  };
  const billingRecords = async (runId: string): Promise<number> =>
    (await getJson(`${target.url}/billing/usage?run_id=${runId}`, user.accessToken)).body.records.length;

  it('refuses a run over the queue cap at once with agent_error "overloaded"; closed sockets leave the queue and free their slots', async () => {
    const working = await mustConnect(target.wsUrl, user.accessToken);
    const waiting = await mustConnect(target.wsUrl, user.accessToken);
    const refused = await mustConnect(target.wsUrl, user.accessToken);
    const workingRuns = [randomUUID(), randomUUID()];
    const waitingRuns = [randomUUID(), randomUUID(), randomUUID()];

    const workingSentAt = performance.now();
    const workingClient = runClient(working);
    for (const id of workingRuns) void workingClient.start('single', id);
    await waitForSlots(target, 'filled', (stats) => stats.busy === 2);
    const waitingClient = runClient(waiting);
    for (const id of waitingRuns) void waitingClient.start('single', id);
    await waitForSlots(target, 'queued 3', (stats) => stats.queued === 3);

    const over = await runClient(refused).start();
    assert.ok(over.responseMs < RUN_MS / 2, `the refusal took ${over.responseMs.toFixed(0)} ms`);
    assert.deepEqual(over.events.map((event) => event.type), ['agent_started', 'agent_error']);
    assert.equal(over.events[1].code, 'overloaded');
    assert.match(over.events[1].message, /all 2 agent slots are busy and 3 runs are waiting/);
    assert.deepEqual(validateRun(over.events, 'single'), { ok: true, violations: [] });
    assert.deepEqual(await ping(refused, 1), { type: 'pong', ts: 1 }, 'the refused run leaves its socket open');
    assert.equal((await slotStats(target)).refused, 1);

    // Closing the socket of the two runs at work gives both slots to the first two waiting, long before those runs could end.
    const workingClosedAt = performance.now();
    working.close();
    const handedOver = await waitForSlots(target, 'handed over', (stats) => stats.queued === 1 && stats.busy === 2);
    const handedOverAfterMs = performance.now() - workingSentAt;
    assert.ok(handedOverAfterMs < RUN_MS, `slots were handed over ${handedOverAfterMs.toFixed(0)} ms after the runs were sent`);
    assert.equal(handedOver.left_queue, 0);

    // Closing the other socket: one run leaves the queue, two free their slots, before the two could have ended.
    waiting.close();
    const idle = await waitForSlots(target, 'emptied', (stats) => stats.busy === 0 && stats.queued === 0);
    assert.equal(idle.left_queue, 1);
    assert.ok(performance.now() < workingClosedAt + RUN_MS, 'the waiting runs were cancelled, not served');

    // Every run cut off ended failed with "cancelled" and was billed nothing; the one that never got a slot never started.
    for (const id of [...workingRuns, ...waitingRuns]) {
      const events = await replay(id);
      assert.equal(events.at(-1).type, 'agent_error', `run ${id}`);
      assert.equal(events.at(-1).code, 'cancelled');
      assert.equal(await billingRecords(events.at(-1).run_id), 0);
    }
    assert.deepEqual((await replay(waitingRuns[2]!)).map((event) => event.type), ['agent_started', 'agent_error']);

    // The slots serve again.
    const again = await runClient(refused).start();
    assert.equal(again.events.at(-1).type, 'agent_completed');
    assert.ok(again.responseMs >= RUN_MS - 2);
    refused.close();
  });
});

// The same slots serve every dialect; AG-UI over SSE has no socket, so its client leaves by closing the response.
describe('target capacity knob: ag-ui over SSE', { timeout: 120_000 }, () => {
  const RUN_MS = 1500;
  let target: SpawnedTarget;
  let token: string;

  before(async () => {
    target = await spawnTarget({ dialect: 'ag-ui', env: { TARGET_CAPACITY: `1x${RUN_MS}ms,queue:1` } });
    token = (await newUser(target.url, 'enterprise')).accessToken;
  });
  after(() => target?.stop());

  const input = () => ({
    threadId: randomUUID(), runId: randomUUID(), messages: [{ id: 'm1', role: 'user', content: 'hi' }], tools: [], context: [], state: {}, forwardedProps: {},
  });
  const headers = () => ({ 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` });

  it('holds the run for the knob\'s time, refuses one over the queue with RUN_ERROR, and lets an aborted request leave the queue', async () => {
    const sentAt = performance.now();
    const working = postSse(`${target.url}/`, input(), headers());
    await waitForSlots(target, 'filled', (stats) => stats.busy === 1);
    const leaving = new AbortController();
    const waiting = fetch(`${target.url}/`, { method: 'POST', headers: headers(), body: JSON.stringify(input()), signal: leaving.signal }).catch(() => 'aborted');
    await waitForSlots(target, 'queued 1', (stats) => stats.queued === 1);

    const over = await postSse(`${target.url}/`, input(), headers());
    assert.equal(over.status, 200);
    const last = over.frames.at(-1)!.data;
    assert.equal(last.type, 'RUN_ERROR');
    assert.equal(last.code, 'overloaded');

    leaving.abort();
    await waiting;
    const stats = await waitForSlots(target, 'left by the aborted request', (s) => s.queued === 0);
    assert.equal(stats.left_queue, 1);
    assert.equal(stats.refused, 1);

    const done = await working;
    assert.equal(done.frames.at(-1)!.data.type, 'RUN_FINISHED');
    assert.ok(performance.now() - sentAt >= RUN_MS * 0.97);
  });
});
