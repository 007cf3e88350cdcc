import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { getJson, postJson, spawnTarget, type SpawnedTarget } from './support/target.ts';
import { openFrameSocket, type FrameSocket } from './support/frame-socket.ts';

// ---- DIALECTS.md §2, read on the Node side: what a well-formed realtime response is ----

type Frame = Record<string, any>;

interface DecodedResponse {
  lifecycle: string[];
  violations: string[];
  responseId: unknown;
  /** response.done's response, when it came. */
  done?: Frame;
  textEvents: Set<string>;
}

const isTerminal = (frame: Frame): boolean => frame.type === 'response.done' || frame.type === 'error';

/** Decodes one response's frames into the shared lifecycle and lists every rule of §2 it breaks. */
function decodeRealtimeRun(frames: Frame[]): DecodedResponse {
  const violations: string[] = [];
  const lifecycle: string[] = [];
  const added = new Set<unknown>();
  const itemsDone = new Set<unknown>();
  const callsOpen = new Set<unknown>();
  const textEvents = new Set<string>();
  let responseId: unknown;
  let done: Frame | undefined;
  let dones = 0;
  frames.forEach((frame, i) => {
    const where = `frame ${i + 1} (${frame.type})`;
    if (typeof frame.event_id !== 'string') violations.push(`${where}: no event_id`);
    if (frame.type === 'error') {
      lifecycle.push('run_error');
      return;
    }
    if (!String(frame.type).startsWith('response.')) return;
    const id = frame.response_id ?? frame.response?.id;
    if (responseId === undefined) {
      if (frame.type !== 'response.created') violations.push(`${where}: before response.created`);
      responseId = id;
      lifecycle.push('agent_started');
    } else if (frame.type === 'response.created') violations.push(`${where}: a second response.created`);
    if (id === undefined || id !== responseId) violations.push(`${where}: response id ${id}, expected ${responseId}`);
    const itemId = frame.item?.id ?? frame.item_id;
    switch (frame.type) {
      case 'response.output_item.added':
        added.add(itemId);
        if (frame.item.type === 'function_call') {
          callsOpen.add(frame.item.call_id);
          lifecycle.push('tool_start');
        }
        break;
      case 'response.output_item.done':
        if (!added.has(itemId)) violations.push(`${where}: item ${itemId} done before it was added`);
        itemsDone.add(itemId);
        break;
      case 'response.function_call_arguments.done':
        if (!callsOpen.delete(frame.call_id)) violations.push(`${where}: call ${frame.call_id} was not open`);
        lifecycle.push('tool_end');
        break;
      case 'response.output_text.delta':
      case 'response.text.delta':
        textEvents.add(frame.type);
        lifecycle.push('text_delta');
        break;
      case 'response.done':
        dones++;
        done = frame.response;
        lifecycle.push(frame.response.status === 'completed' ? 'run_completed' : 'run_error');
        for (const item of added) if (!itemsDone.has(item)) violations.push(`item ${item} never done`);
        for (const call of callsOpen) violations.push(`arguments of call ${call} never done`);
        break;
    }
    if (itemId !== undefined && frame.type !== 'response.output_item.added' && !added.has(itemId)) violations.push(`${where}: item ${itemId} used before it was added`);
  });
  if (dones !== 1 && lifecycle.at(-1) !== 'run_error') violations.push(`${dones} response.done events`);
  return { lifecycle, violations, responseId, textEvents, ...(done ? { done } : {}) };
}

// ---- Clients ----

async function accessToken(url: string, plan = 'free'): Promise<string> {
  const email = `o-${randomBytes(6).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  assert.equal((await postJson(`${url}/auth/signup`, { email, password, plan })).status, 201);
  return (await postJson(`${url}/auth/login`, { email, password })).body.access_token;
}

async function openSession(target: SpawnedTarget, key: string): Promise<FrameSocket> {
  const handshake = await openFrameSocket(target.wsUrl, { headers: { authorization: `Bearer ${key}` } });
  assert.ok(handshake.ok, 'handshake refused');
  assert.equal((await handshake.socket.next()).type, 'session.created');
  return handshake.socket;
}

/** conversation.item.create + response.create; returns the acknowledgements and the response's frames to its end. */
async function respond(socket: FrameSocket, metadata?: Record<string, string>): Promise<{ acks: Frame[]; frames: Frame[] }> {
  socket.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'how much have I spent?' }] } });
  socket.send({ type: 'response.create', ...(metadata ? { response: { metadata } } : {}) });
  const all = await socket.until(isTerminal);
  const first = all.findIndex((f) => String(f.type).startsWith('response.') || f.type === 'error');
  return { acks: all.slice(0, first), frames: all.slice(first) };
}

describe('target in the openai-realtime dialect', { timeout: 180_000 }, () => {
  let target: SpawnedTarget;

  before(async () => {
    target = await spawnTarget({ dialect: 'openai-realtime' });
  });
  after(() => target?.stop());

  it('names the dialect in /health and serves /v1/realtime?model=… and /ws', async () => {
    assert.match(target.startLine, / dialect=openai-realtime db=pglite/);
    assert.equal((await getJson(`${target.url}/health`)).body.contract, 'openai-realtime');
    const key = await accessToken(target.url);
    const viaSubprotocols = await openFrameSocket(target.wsUrl.replace('gpt-realtime', 'gpt-test'), { protocols: ['realtime', `openai-insecure-api-key.${key}`] });
    assert.ok(viaSubprotocols.ok);
    assert.equal(viaSubprotocols.socket.protocol, 'realtime');
    const created = await viaSubprotocols.socket.next();
    assert.equal(created.type, 'session.created');
    assert.equal(created.session.model, 'gpt-test');
    viaSubprotocols.socket.ws.close();
    const viaQuery = await openFrameSocket(`${target.wsUrl}&api_key=${key}`);
    assert.ok(viaQuery.ok);
    viaQuery.socket.ws.close();
    const onWs = await openFrameSocket(target.wsUrl.replace(/\/v1\/realtime.*$/, '/ws'), { headers: { authorization: `Bearer ${key}` } });
    assert.ok(onWs.ok);
    onWs.socket.ws.close();
  });

  it('refuses a bad key with HTTP 401 by default', async () => {
    for (const options of [{ headers: { authorization: 'Bearer sk-not-ours' } }, { protocols: ['realtime', 'openai-insecure-api-key.sk-x'] }, {}]) {
      const handshake = await openFrameSocket(target.wsUrl, options);
      assert.deepEqual(handshake, { ok: false, status: 401 });
    }
  });

  it('answers conversation.item.create + response.create with a well-formed response, billed once', async () => {
    const key = await accessToken(target.url, 'pro');
    const socket = await openSession(target, key);
    const runs = [];
    const ackTypes = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const { acks, frames } = await respond(socket);
      for (const ack of acks) ackTypes.add(ack.type);
      const run = decodeRealtimeRun(frames);
      assert.deepEqual(run.violations, []);
      assert.equal(run.lifecycle[0], 'agent_started');
      assert.equal(run.lifecycle.at(-1), 'run_completed');
      for (const kind of ['tool_start', 'tool_end', 'text_delta']) assert.ok(run.lifecycle.includes(kind), kind);
      const usage = run.done!.usage;
      assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
      assert.ok(usage.output_tokens > 0);
      runs.push(run);
    }
    // The user's item is acknowledged in the GA form (added, done) or, every other session, the beta form (created).
    assert.ok(['conversation.item.added,conversation.item.done', 'conversation.item.created'].includes([...ackTypes].sort().join()), [...ackTypes].join());
    // One response in the GA names, the next in the beta names.
    assert.deepEqual(runs.map((r) => [...r.textEvents]).flat().sort(), ['response.output_text.delta', 'response.text.delta']);
    assert.notEqual(runs[0]!.responseId, runs[1]!.responseId);
    const summary = await getJson(`${target.url}/billing/summary`, key);
    assert.equal(summary.body.runs, 2);
    assert.equal(summary.body.output_tokens, runs.reduce((sum, r) => sum + r.done!.usage.output_tokens, 0));
    socket.ws.close();
  });

  it('flattens the orchestration: no nested agents, its three tools become function calls', async () => {
    const key = await accessToken(target.url);
    const socket = await openSession(target, key);
    const { frames } = await respond(socket, { mode: 'orchestration' });
    const run = decodeRealtimeRun(frames);
    assert.deepEqual(run.violations, []);
    assert.equal(run.lifecycle.filter((k) => k === 'agent_started').length, 1);
    const calls = frames.filter((f) => f.type === 'response.function_call_arguments.done').map((f) => f.name);
    assert.deepEqual(calls, ['classify_request', 'billing_lookup', 'draft_reply']);
    socket.ws.close();
  });

  describe('faults on the wire', () => {
    let key: string;
    before(async () => {
      key = await accessToken(target.url);
    });
    after(() => target.setFaults(''));

    it('drop-tool-completed: function call arguments never done, their items never done', async () => {
      await target.setFaults('drop-tool-completed');
      const socket = await openSession(target, key);
      const run = decodeRealtimeRun((await respond(socket)).frames);
      assert.ok(!run.lifecycle.includes('tool_end'));
      assert.ok(run.violations.some((v) => /arguments of call .* never done/.test(v)), run.violations.join('; '));
      assert.ok(run.violations.some((v) => /item .* never done/.test(v)));
      socket.ws.close();
    });

    it('no-terminal: no response.done', async () => {
      await target.setFaults('no-terminal');
      const socket = await openSession(target, key);
      socket.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] } });
      socket.send({ type: 'response.create' });
      await socket.until((f) => f.type === 'response.created');
      await target.settled();
      // Frames keep their order: once the answer to session.update is here, every frame of the response is too.
      socket.send({ type: 'session.update', session: {} });
      const rest = await socket.until((f) => f.type === 'session.updated');
      assert.ok(rest.some((f) => f.type === 'response.output_text.delta' || f.type === 'response.text.delta'));
      assert.ok(!rest.some((f) => f.type === 'response.done'));
      socket.ws.close();
    });

    it('agent-error: an error event, then a response.done with status failed, and nothing billed', async () => {
      await target.setFaults('agent-error');
      const other = await accessToken(target.url);
      const socket = await openSession(target, other);
      const ends: string[] = [];
      for (let i = 0; i < 2; i++) {
        const { frames: run } = await respond(socket);
        const decoded = decodeRealtimeRun(run);
        assert.equal(decoded.lifecycle.at(-1), 'run_error');
        const last = run.at(-1)!;
        ends.push(last.type === 'error' ? `error:${last.error.code}` : `done:${last.response.status}:${last.response.status_details.error.code}`);
      }
      assert.deepEqual(ends.sort(), ['done:failed:injected_fault', 'error:injected_fault']);
      assert.equal((await getJson(`${target.url}/billing/summary`, other)).body.runs, 0);
      socket.ws.close();
    });

    it('drop-socket:1 cuts the socket mid-response; the run still completes and is billed once', async () => {
      await target.setFaults('drop-socket:1');
      const other = await accessToken(target.url);
      const socket = await openSession(target, other);
      socket.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] } });
      socket.send({ type: 'response.create' });
      assert.equal((await socket.closed).code, 1006);
      const received = socket.drain();
      assert.ok(received.some((f) => f.type === 'response.created'));
      assert.ok(!received.some((f) => f.type === 'response.done'));
      await target.settled();
      assert.equal((await getJson(`${target.url}/billing/summary`, other)).body.runs, 1);
    });

    it('slow-agents: a response takes many times longer from response.created to response.done', async () => {
      const span = async (): Promise<number> => {
        const socket = await openSession(target, key);
        socket.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] } });
        socket.send({ type: 'response.create' });
        await socket.until((f) => f.type === 'response.created');
        const start = performance.now();
        await socket.until(isTerminal);
        socket.ws.close();
        return performance.now() - start;
      };
      await target.setFaults('');
      const fast = await span();
      await target.setFaults('slow-agents:50');
      const slow = await span();
      assert.ok(slow > fast * 3, `slow ${slow} ms vs fast ${fast} ms`);
    });
  });
});

describe('target in the openai-realtime dialect, configured to refuse on the socket', { timeout: 60_000 }, () => {
  it('TARGET_AUTH_REFUSAL=frame upgrades a bad key, sends an invalid_api_key error, closes 1008', async () => {
    const target = await spawnTarget({ dialect: 'openai-realtime', env: { TARGET_AUTH_REFUSAL: 'frame' } });
    try {
      const handshake = await openFrameSocket(target.wsUrl, { headers: { authorization: 'Bearer sk-not-ours' } });
      assert.ok(handshake.ok);
      const error = await handshake.socket.next();
      assert.equal(error.type, 'error');
      assert.equal(error.error.code, 'invalid_api_key');
      assert.equal((await handshake.socket.closed).code, 1008);
    } finally {
      await target.stop();
    }
  });
});
