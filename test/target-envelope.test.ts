import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { getJson, postJson, spawnTarget, type SpawnedTarget } from './support/target.ts';
import { openFrameSocket, type FrameSocket } from './support/frame-socket.ts';

// ---- DIALECTS.md §1, read on the Node side: what a well-formed envelope run is ----

type Frame = Record<string, any>;

/** A field at the top level, in `payload` or in `data`. */
const field = (frame: Frame, name: string): any => frame[name] ?? frame.payload?.[name] ?? frame.data?.[name];
const placementOf = (frame: Frame): string => (frame.payload ? 'payload' : frame.data ? 'data' : 'top');
const SESSION_TYPES = new Set(['heartbeat', 'pong', 'connection_established', 'system_message']);

function timestampForm(value: unknown): 'iso' | 'epoch' | undefined {
  if (typeof value === 'number' && value > 1e9 && value < 1e11) return 'epoch';
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value))) return 'iso';
  return undefined;
}
const epochMs = (value: unknown): number => (typeof value === 'number' ? value * 1000 : Date.parse(String(value)));

interface DecodedRun { lifecycle: string[]; violations: string[]; runId: unknown; terminal?: Frame; runFrames: Frame[] }

/** Decodes one run's frames into the shared lifecycle and lists every rule of §1 it breaks. */
function decodeEnvelopeRun(frames: Frame[]): DecodedRun {
  const runFrames = frames.filter((f) => !SESSION_TYPES.has(f.type));
  const violations: string[] = [];
  const lifecycle: string[] = [];
  const agents: unknown[] = [];
  const toolsById = new Map<string, unknown>();
  const toolsByName = new Map<string, number>();
  let firstAgent: unknown;
  let runId: unknown;
  let terminal: Frame | undefined;
  runFrames.forEach((frame, i) => {
    const where = `frame ${i + 1} (${frame.type})`;
    if (terminal) violations.push(`${where} after the terminal event`);
    if (!timestampForm(field(frame, 'timestamp'))) violations.push(`${where}: timestamp is neither ISO nor epoch seconds`);
    const id = field(frame, 'run_id');
    if (id !== undefined) {
      runId ??= id;
      if (id !== runId) violations.push(`${where}: run_id ${id} differs from ${runId}`);
    }
    if (i === 0 && frame.type !== 'agent_started') violations.push('the run does not begin with agent_started');
    const agent = field(frame, 'agent_name');
    const toolId = field(frame, 'tool_call_id') ?? field(frame, 'execution_id');
    const byName = `${agent}\u0000${field(frame, 'tool_name')}`;
    switch (frame.type) {
      case 'agent_started':
        firstAgent ??= agent;
        agents.push(agent);
        lifecycle.push('agent_started');
        break;
      case 'agent_thinking':
        lifecycle.push('thinking');
        break;
      case 'tool_executing':
        if (toolId !== undefined) toolsById.set(toolId, agent);
        else toolsByName.set(byName, (toolsByName.get(byName) ?? 0) + 1);
        lifecycle.push('tool_start');
        break;
      case 'tool_completed':
        if (toolId !== undefined ? !toolsById.delete(toolId) : !toolsByName.get(byName)) violations.push(`${where}: no open tool_executing to pair with`);
        if (toolId === undefined && toolsByName.get(byName)) toolsByName.set(byName, toolsByName.get(byName)! - 1);
        lifecycle.push('tool_end');
        break;
      case 'partial_result':
        if (typeof field(frame, 'content') !== 'string') violations.push(`${where}: no text`);
        lifecycle.push('text_delta');
        break;
      case 'agent_completed': {
        if (agents.at(-1) !== agent) violations.push(`${where}: ${agent} completed while ${agents.at(-1)} was the innermost agent`);
        else agents.pop();
        const openTools = [...toolsById.values()].filter((a) => a === agent).length +
          [...toolsByName.entries()].filter(([key, n]) => key.startsWith(`${agent}\u0000`) && n > 0).length;
        if (openTools > 0) violations.push(`${where}: ${agent} completed with ${openTools} tool(s) never completed`);
        if (agent === firstAgent) terminal = frame;
        lifecycle.push(agent === firstAgent ? 'run_completed' : 'agent_finished');
        break;
      }
      case 'agent_error':
      case 'error_message':
        terminal = frame;
        lifecycle.push('run_error');
        break;
      default:
        violations.push(`${where}: not an envelope run type`);
    }
  });
  if (!terminal) violations.push('no terminal event');
  return { lifecycle, violations, runId, runFrames, ...(terminal ? { terminal } : {}) };
}

// ---- Clients ----

interface EnvelopeUser { email: string; password: string; token: string }

async function newEnvelopeUser(url: string, plan = 'free'): Promise<EnvelopeUser> {
  const email = `e-${randomBytes(6).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const registered = await postJson(`${url}/auth/register`, { email, password, name: 'Load Test', plan });
  assert.equal(registered.status, 201);
  const login = await postJson(`${url}/auth/login`, { email, password });
  assert.equal(login.status, 200);
  return { email, password, token: login.body.access_token };
}

async function openSession(target: SpawnedTarget, user: EnvelopeUser): Promise<{ socket: FrameSocket; ready: Frame }> {
  const handshake = await openFrameSocket(target.wsUrl, { protocols: [`jwt.${user.token}`] });
  assert.ok(handshake.ok, 'handshake refused');
  return { socket: handshake.socket, ready: await handshake.socket.next() };
}

/** Sends one user_message and reads frames until its terminal event. */
async function runOnce(socket: FrameSocket, payload: Record<string, unknown> = {}): Promise<Frame[]> {
  socket.send({ type: 'user_message', payload: { content: 'how much have I spent?', ...payload } });
  let first: unknown;
  return socket.until((frame) => {
    if (SESSION_TYPES.has(frame.type)) return false;
    first ??= field(frame, 'agent_name');
    return frame.type === 'agent_error' || frame.type === 'error_message' || (frame.type === 'agent_completed' && field(frame, 'agent_name') === first);
  });
}

describe('target in the envelope dialect', { timeout: 180_000 }, () => {
  let target: SpawnedTarget;

  before(async () => {
    target = await spawnTarget({ dialect: 'envelope' });
  });
  after(() => target?.stop());

  it('names the dialect in its start line and /health', async () => {
    assert.match(target.startLine, / dialect=envelope db=pglite faults=none$/);
    const health = await getJson(`${target.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.body.contract, 'envelope');
  });

  it('registers (201, tokens in every other answer), logs in with the user, and keeps /auth/signup', async () => {
    const bodies = [];
    for (let i = 0; i < 2; i++) {
      const email = `r-${randomBytes(6).toString('hex')}@example.test`;
      const registered = await postJson(`${target.url}/auth/register`, { email, password: 'password-123', name: 'R' });
      assert.equal(registered.status, 201);
      assert.equal(registered.body.user.email, email);
      assert.equal(registered.body.user.plan, 'free');
      bodies.push(registered.body);
      if (i === 0) {
        assert.equal((await postJson(`${target.url}/auth/register`, { email, password: 'password-123' })).status, 409);
        const login = await postJson(`${target.url}/auth/login`, { email, password: 'password-123' });
        assert.equal(login.status, 200);
        assert.equal(login.body.token_type, 'Bearer');
        assert.equal(typeof login.body.expires_in, 'number');
        assert.deepEqual(login.body.user, { id: registered.body.user.id, email, plan: 'free' });
        const me = await getJson(`${target.url}/auth/me`, login.body.access_token);
        assert.equal(me.body.id, registered.body.user.id);
        const refreshed = await postJson(`${target.url}/auth/refresh`, { refresh_token: login.body.refresh_token });
        assert.equal(refreshed.status, 200);
        assert.equal(typeof refreshed.body.access_token, 'string');
        assert.equal((await postJson(`${target.url}/auth/login`, { email, password: 'wrong-password' })).status, 401);
      }
    }
    assert.deepEqual(bodies.map((b) => typeof b.access_token).sort(), ['string', 'undefined']);
    const withTokens = bodies.find((b) => b.access_token);
    assert.equal((await getJson(`${target.url}/auth/me`, withTokens.access_token)).status, 200);
    assert.equal((await postJson(`${target.url}/auth/register`, { email: 'x@example.test' })).status, 422);
    assert.equal((await postJson(`${target.url}/auth/register`, { email: 'p@example.test', password: 'password-123', plan: 'gold' })).status, 422);
    const pro = await postJson(`${target.url}/auth/register`, { email: `p-${randomBytes(4).toString('hex')}@example.test`, password: 'password-123', plan: 'pro' });
    assert.equal(pro.body.user.plan, 'pro');
    const signup = await postJson(`${target.url}/auth/signup`, { email: `s-${randomBytes(4).toString('hex')}@example.test`, password: 'password-123' });
    assert.equal(signup.status, 201);
  });

  it('takes the token as jwt.<token> (echoed), jwt-auth + jwt.<token>, a header or ?token=, and is ready in both forms', async () => {
    const user = await newEnvelopeUser(target.url);
    const forms = [
      { name: 'echo', options: { protocols: [`jwt.${user.token}`] }, url: target.wsUrl, protocol: `jwt.${user.token}` },
      { name: 'pair', options: { protocols: ['jwt-auth', `jwt.${user.token}`] }, url: target.wsUrl, protocol: 'jwt-auth' },
      { name: 'header', options: { headers: { authorization: `Bearer ${user.token}` } }, url: target.wsUrl, protocol: '' },
      { name: 'query', options: {}, url: `${target.wsUrl}?token=${user.token}`, protocol: '' },
    ];
    const readyForms = new Set<string>();
    for (const form of forms) {
      const handshake = await openFrameSocket(form.url, form.options);
      assert.ok(handshake.ok, form.name);
      assert.equal(handshake.socket.protocol, form.protocol, form.name);
      const ready = await handshake.socket.next();
      if (ready.type === 'connection_established') readyForms.add('plain');
      else if (ready.type === 'system_message' && ready.data.event === 'connection_established') readyForms.add('wrapped');
      else assert.fail(`not a ready frame: ${JSON.stringify(ready)}`);
      assert.equal(typeof ready.data.session_id, 'string');
      handshake.socket.ws.close();
    }
    assert.deepEqual([...readyForms].sort(), ['plain', 'wrapped']);
  });

  it('refuses a bad token by HTTP 401 and by an AUTH_FAILED frame then 1008, in turn', async () => {
    const styles: string[] = [];
    const frameTypes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const handshake = await openFrameSocket(target.wsUrl, { protocols: ['jwt.not-a-token'] });
      if (!handshake.ok) {
        assert.equal(handshake.status, 401);
        styles.push('http');
        continue;
      }
      const frame = await handshake.socket.next();
      assert.equal(frame.data.error_code, 'AUTH_FAILED');
      frameTypes.push(frame.type);
      assert.equal((await handshake.socket.closed).code, 1008);
      styles.push('frame');
    }
    assert.deepEqual(styles.slice().sort(), ['frame', 'frame', 'http', 'http']);
    assert.notEqual(styles[0], styles[1]);
    assert.deepEqual(frameTypes.sort(), ['error', 'error_message']);
  });

  it('streams well-formed single and nested runs with every variant mixed in, billed once per completed run', async () => {
    const user = await newEnvelopeUser(target.url, 'pro');
    const { socket } = await openSession(target, user);
    socket.send({ type: 'ping', timestamp: 42 });
    const pong = await socket.next();
    assert.equal(pong.type, 'pong');
    assert.equal(field(pong, 'timestamp'), 42);

    const single = decodeEnvelopeRun(await runOnce(socket));
    assert.deepEqual(single.violations, []);
    assert.equal(single.lifecycle[0], 'agent_started');
    assert.equal(single.lifecycle.at(-1), 'run_completed');
    for (const kind of ['thinking', 'tool_start', 'tool_end', 'text_delta']) assert.ok(single.lifecycle.includes(kind), kind);

    const frames = await runOnce(socket, { mode: 'orchestration' });
    const nested = decodeEnvelopeRun(frames);
    assert.deepEqual(nested.violations, []);
    const starts = nested.runFrames.filter((f) => f.type === 'agent_started').map((f) => field(f, 'agent_name'));
    assert.deepEqual(starts, ['supervisor', 'triage', 'data', 'actions']);
    assert.equal(field(nested.terminal!, 'agent_name'), 'supervisor');
    assert.equal(nested.lifecycle.filter((k) => k === 'agent_finished').length, 3);
    // Every variant of §1 within this one run.
    assert.deepEqual([...new Set(nested.runFrames.map(placementOf))].sort(), ['data', 'payload', 'top']);
    assert.deepEqual([...new Set(nested.runFrames.map((f) => timestampForm(field(f, 'timestamp'))))].sort(), ['epoch', 'iso']);
    const toolKeys = nested.runFrames.filter((f) => f.type === 'tool_executing')
      .map((f) => (field(f, 'tool_call_id') ? 'tool_call_id' : field(f, 'execution_id') ? 'execution_id' : 'none'));
    assert.deepEqual(toolKeys.sort(), ['execution_id', 'none', 'tool_call_id']);
    const firstRun = frames.findIndex((f) => f.type === 'agent_started');
    const heartbeat = frames.findIndex((f) => f.type === 'heartbeat');
    assert.ok(heartbeat > firstRun && heartbeat < frames.length - 1, 'a heartbeat in the middle of the run');

    // Two runs at once on one socket, told apart by run_id.
    const keys = [randomUUID(), randomUUID()];
    for (const key of keys) socket.send({ type: 'user_message', payload: { content: 'both', run_id: key } });
    const byRun = new Map<string, Frame[]>(keys.map((k) => [k, []]));
    let ended = 0;
    while (ended < 2) {
      const frame = await socket.next();
      if (SESSION_TYPES.has(frame.type)) continue;
      byRun.get(field(frame, 'run_id'))!.push(frame);
      if (frame.type === 'agent_completed' && field(frame, 'agent_name') === 'assistant') ended++;
    }
    for (const key of keys) assert.deepEqual(decodeEnvelopeRun(byRun.get(key)!).violations, [], key);

    const terminals = [single.terminal!, nested.terminal!, ...keys.map((k) => byRun.get(k)!.at(-1)!)];
    const summary = await getJson(`${target.url}/billing/summary`, user.token);
    assert.equal(summary.body.runs, 4);
    assert.equal(summary.body.input_tokens, terminals.reduce((sum, t) => sum + field(t, 'usage').input_tokens, 0));
    assert.equal(summary.body.output_tokens, terminals.reduce((sum, t) => sum + field(t, 'usage').output_tokens, 0));
    socket.ws.close();
  });

  it('replays a repeated run_id without billing it twice', async () => {
    const user = await newEnvelopeUser(target.url);
    const { socket } = await openSession(target, user);
    const key = randomUUID();
    const first = decodeEnvelopeRun(await runOnce(socket, { run_id: key }));
    const again = decodeEnvelopeRun(await runOnce(socket, { run_id: key }));
    assert.deepEqual(again.violations, []);
    assert.equal(again.runId, key);
    assert.deepEqual(again.lifecycle, first.lifecycle);
    assert.equal((await getJson(`${target.url}/billing/summary`, user.token)).body.runs, 1);
    socket.ws.close();
  });

  describe('faults on the wire', () => {
    let user: EnvelopeUser;
    before(async () => {
      user = await newEnvelopeUser(target.url);
    });
    after(() => target.setFaults(''));

    it('drop-tool-completed: the run ends with tools never completed', async () => {
      await target.setFaults('drop-tool-completed');
      const { socket } = await openSession(target, user);
      const run = decodeEnvelopeRun(await runOnce(socket, { mode: 'orchestration' }));
      assert.ok(!run.lifecycle.includes('tool_end'));
      assert.ok(run.violations.some((v) => /tool\(s\) never completed/.test(v)), run.violations.join('; '));
      socket.ws.close();
    });

    it('no-terminal: the run never sends its terminal event', async () => {
      await target.setFaults('no-terminal');
      const { socket } = await openSession(target, user);
      socket.send({ type: 'user_message', payload: { content: 'x' } });
      const started = await socket.next();
      await target.settled();
      // Frames keep their order on the socket: once the pong is here, every frame of the run is too.
      socket.send({ type: 'ping', timestamp: 7 });
      const frames = [started, ...(await socket.until((f) => f.type === 'pong'))];
      const run = decodeEnvelopeRun(frames);
      assert.equal(run.lifecycle.at(-1), 'text_delta');
      assert.deepEqual(run.violations, ['no terminal event']);
      socket.ws.close();
    });

    it('agent-error: the run ends with agent_error or error_message, in turn, and is not billed', async () => {
      await target.setFaults('agent-error');
      const other = await newEnvelopeUser(target.url);
      const { socket } = await openSession(target, other);
      const ends: string[] = [];
      for (let i = 0; i < 2; i++) {
        const run = decodeEnvelopeRun(await runOnce(socket));
        assert.deepEqual(run.violations, []);
        assert.equal(run.lifecycle.at(-1), 'run_error');
        assert.equal(field(run.terminal!, 'error_code'), 'injected_fault');
        ends.push(run.terminal!.type);
      }
      assert.deepEqual(ends.sort(), ['agent_error', 'error_message']);
      assert.equal((await getJson(`${target.url}/billing/summary`, other.token)).body.runs, 0);
      socket.ws.close();
    });

    it('drop-socket:1 cuts the socket mid-run; the run still completes and is billed once', async () => {
      await target.setFaults('drop-socket:1');
      const other = await newEnvelopeUser(target.url);
      const { socket } = await openSession(target, other);
      socket.send({ type: 'user_message', payload: { content: 'x' } });
      assert.equal((await socket.closed).code, 1006);
      const run = decodeEnvelopeRun(socket.drain());
      assert.equal(run.lifecycle[0], 'agent_started');
      assert.ok(run.violations.includes('no terminal event'));
      await target.settled();
      assert.equal((await getJson(`${target.url}/billing/summary`, other.token)).body.runs, 1);
    });

    it('slow-agents stretches the same seeded run, by the server timestamps on the wire', async () => {
      await target.setFaults('');
      const key = randomUUID();
      const span = (run: DecodedRun) => epochMs(field(run.terminal!, 'timestamp')) - epochMs(field(run.runFrames[0]!, 'timestamp'));
      const a = await openSession(target, user);
      const fast = span(decodeEnvelopeRun(await runOnce(a.socket, { run_id: key })));
      a.socket.ws.close();
      await target.setFaults('slow-agents:20');
      const b = await openSession(target, await newEnvelopeUser(target.url));
      const slow = span(decodeEnvelopeRun(await runOnce(b.socket, { run_id: key })));
      b.socket.ws.close();
      assert.ok(slow > fast * 3, `slow ${slow} ms vs fast ${fast} ms`);
    });
  });
});

describe('target in the envelope dialect, configured to refuse on the socket', { timeout: 60_000 }, () => {
  it('TARGET_AUTH_REFUSAL=frame answers every bad token with an upgrade, AUTH_FAILED and 1008', async () => {
    const target = await spawnTarget({ dialect: 'envelope', env: { TARGET_AUTH_REFUSAL: 'frame' } });
    try {
      for (let i = 0; i < 2; i++) {
        const handshake = await openFrameSocket(`${target.wsUrl}?token=expired.or.forged`);
        assert.ok(handshake.ok, 'upgraded');
        assert.equal((await handshake.socket.next()).data.error_code, 'AUTH_FAILED');
        assert.equal((await handshake.socket.closed).code, 1008);
      }
      assert.equal((await target.stats()).rows.runs, 0);
    } finally {
      await target.stop();
    }
  });

  it('an unknown dialect, or a socket refusal for agent-sla, stops the target with one line', async () => {
    await assert.rejects(spawnTarget({ env: { TARGET_DIALECT: 'graphql' } }), /exited with 2: agent-sla target: dialect: "graphql" must be one of agent-sla, envelope, openai-realtime, ag-ui$/);
    await assert.rejects(spawnTarget({ env: { TARGET_AUTH_REFUSAL: 'frame' } }), /exited with 2: .*TARGET_AUTH_REFUSAL applies to the envelope and openai-realtime dialects only$/);
  });
});
