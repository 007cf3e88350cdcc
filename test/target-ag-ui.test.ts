import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { transformChunks, verifyEvents } from '@ag-ui/client';
import type { BaseEvent } from '@ag-ui/core';
import { from } from 'rxjs';
import { AgUiRules } from '../lib/dialects/ag-ui-rules.ts';
import { getJson, postJson, spawnTarget, type SpawnedTarget } from './support/target.ts';
import { openFrameSocket, type FrameSocket } from './support/frame-socket.ts';
import { postSse, type SseResult } from './support/sse.ts';

process.env.SUPPRESS_TRANSFORMATION_WARNINGS = 'true';

type Event = Record<string, any> & { type: string };

/** The judge is the official client: @ag-ui/client's chunk expansion and verifyEvents. */
function officialProblem(events: Event[]): string | undefined {
  let problem: string | undefined;
  from(events as unknown as BaseEvent[]).pipe(transformChunks(), verifyEvents()).subscribe({ error: (e: Error) => { problem = e.message; } });
  return problem;
}

/** The load-test rule on top: exactly one RUN_FINISHED or RUN_ERROR, last. */
function terminalProblems(events: Event[]): string[] {
  const rules = new AgUiRules();
  for (const event of events) rules.push(event);
  return rules.finish().violations.filter((v) => /terminal|RUN_FINISHED or RUN_ERROR|RUN_FINISHED \/ RUN_ERROR/.test(v));
}

function runInput(content: string, mode?: 'orchestration', runId = randomUUID()) {
  return {
    threadId: `thread-${randomBytes(4).toString('hex')}`, runId, messages: [{ id: 'm1', role: 'user', content }],
    tools: [], context: [], state: {}, forwardedProps: mode ? { mode } : {},
  };
}

async function accessToken(url: string, plan = 'pro'): Promise<string> {
  const email = `g-${randomBytes(6).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  assert.equal((await postJson(`${url}/auth/signup`, { email, password, plan })).status, 201);
  return (await postJson(`${url}/auth/login`, { email, password })).body.access_token;
}

const sseHeaders = (token?: string): Record<string, string> => ({
  'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}),
});
const eventsOf = (result: SseResult): Event[] => result.frames.map((f) => f.data);
const types = (events: Event[]): string[] => events.map((e) => e.type);

async function openSocket(target: SpawnedTarget, token: string): Promise<FrameSocket> {
  const handshake = await openFrameSocket(target.wsUrl, { protocols: ['ag-ui', `bearer.${token}`] });
  assert.ok(handshake.ok, 'handshake refused');
  assert.equal(handshake.socket.protocol, 'ag-ui');
  return handshake.socket;
}

const isTerminal = (frame: Event): boolean => frame.type === 'RUN_FINISHED' || frame.type === 'RUN_ERROR';

describe('target in the ag-ui dialect', { timeout: 240_000 }, () => {
  let target: SpawnedTarget;
  let token: string;

  before(async () => {
    target = await spawnTarget({ dialect: 'ag-ui' });
    token = await accessToken(target.url);
  });
  after(() => target?.stop());

  it('names the dialect in /health and refuses what is not an authenticated RunAgentInput', async () => {
    assert.match(target.startLine, / dialect=ag-ui /);
    assert.equal((await getJson(`${target.url}/health`)).body.contract, 'ag-ui');
    const input = runInput('hi');
    assert.equal((await postSse(`${target.url}/`, input, sseHeaders())).status, 401);
    assert.equal((await postSse(`${target.url}/`, input, sseHeaders('not-a-token'))).status, 401);
    assert.equal((await postSse(`${target.url}/`, input, { ...sseHeaders(token), 'content-type': 'text/plain' })).status, 415);
    assert.equal((await postSse(`${target.url}/`, input, { ...sseHeaders(token), accept: 'application/json' })).status, 406);
    const bad = await postSse(`${target.url}/`, { ...input, messages: [] }, sseHeaders(token));
    assert.equal(bad.status, 422);
    assert.equal(bad.errorBody.error.code, 'invalid_input');
    assert.deepEqual((await target.stats()).rows.runs, 0);
  });

  it('streams a well-formed run as SSE data frames made by the official encoder, and bills it once', async () => {
    const owner = await accessToken(target.url);
    const input = runInput('how much have I spent?');
    const result = await postSse(`${target.url}/`, input, sseHeaders(owner));
    assert.equal(result.status, 200);
    assert.match(result.contentType, /^text\/event-stream/);
    assert.equal(result.ended, 'complete');
    assert.ok(result.frames.every((f) => f.otherLines.length === 0), 'no event: or id: lines');
    const events = eventsOf(result);
    assert.equal(officialProblem(events), undefined);
    assert.deepEqual(terminalProblems(events), []);
    assert.deepEqual(events[0], { type: 'RUN_STARTED', threadId: input.threadId, runId: input.runId });
    const finished = events.at(-1)!;
    assert.equal(finished.type, 'RUN_FINISHED');
    assert.equal(finished.runId, input.runId);
    const [usage] = finished.usage;
    assert.ok(usage.outputTokens > 0 && usage.totalTokens === usage.inputTokens + usage.outputTokens);
    for (const type of ['STEP_STARTED', 'STEP_FINISHED', 'TOOL_CALL_RESULT']) assert.ok(types(events).includes(type), type);
    await target.settled();
    let summary = await getJson(`${target.url}/billing/summary`, owner);
    assert.equal(summary.body.runs, 1);
    assert.equal(summary.body.output_tokens, usage.outputTokens);
    // The same runId again is the same run: replayed, not billed twice. /agent is the same endpoint.
    const again = eventsOf(await postSse(`${target.url}/agent`, input, sseHeaders(owner)));
    assert.equal(officialProblem(again), undefined);
    assert.deepEqual(again.at(-1)!.usage, finished.usage);
    summary = await getJson(`${target.url}/billing/summary`, owner);
    assert.equal(summary.body.runs, 1);
  });

  it('mixes the explicit and the *_CHUNK forms of text and tool calls, and nests steps for the orchestration', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const events = eventsOf(await postSse(`${target.url}/`, runInput(`question ${i}`, 'orchestration'), sseHeaders(token)));
      assert.equal(officialProblem(events), undefined);
      assert.deepEqual(terminalProblems(events), []);
      for (const type of types(events)) seen.add(type);
      const steps = events.filter((e) => e.type === 'STEP_STARTED').map((e) => e.stepName);
      assert.deepEqual(steps, ['supervisor', 'triage', 'data', 'actions']);
      // supervisor's step encloses the others: it finishes last, just before RUN_FINISHED.
      assert.deepEqual(events.slice(-2).map((e) => e.stepName ?? e.type), ['supervisor', 'RUN_FINISHED']);
    }
    for (const type of ['TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'TEXT_MESSAGE_CHUNK', 'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_CHUNK']) {
      assert.ok(seen.has(type), `no ${type} in three runs`);
    }
  });

  it('speaks the same events over WebSocket, one per text frame, ready at open', async () => {
    assert.deepEqual(await openFrameSocket(target.wsUrl, { protocols: ['ag-ui', 'bearer.nope'] }), { ok: false, status: 401 });
    const socket = await openSocket(target, token);
    const input = runInput('over the socket');
    socket.send(input);
    const events = await socket.until(isTerminal);
    assert.equal(officialProblem(events), undefined);
    assert.deepEqual(terminalProblems(events), []);
    assert.equal(events[0].runId, input.runId);
    // A second run on the same socket, then an input that is not a RunAgentInput: RUN_ERROR and close 1008.
    socket.send(runInput('again'));
    assert.equal(officialProblem(await socket.until(isTerminal)), undefined);
    socket.send({ type: 'user_message', payload: { content: 'wrong dialect' } });
    assert.equal((await socket.next()).type, 'RUN_ERROR');
    assert.equal((await socket.closed).code, 1008);
    const onAgentPath = await openFrameSocket(target.wsUrl.replace(/\/ws$/, '/agent/ws'), { headers: { authorization: `Bearer ${token}` } });
    assert.ok(onAgentPath.ok);
    onAgentPath.socket.ws.close();
  });

  describe('faults in AG-UI terms', () => {
    after(() => target.setFaults(''));

    it('drop-tool-completed leaves a tool call open, which the official rules refuse at RUN_FINISHED', async () => {
      await target.setFaults('drop-tool-completed');
      const events = eventsOf(await postSse(`${target.url}/`, runInput('tools'), sseHeaders(token)));
      assert.ok(types(events).includes('TOOL_CALL_START'));
      assert.ok(!types(events).includes('TOOL_CALL_END') && !types(events).includes('TOOL_CALL_CHUNK'));
      assert.match(officialProblem(events) ?? '', /tool calls are still active/);
    });

    it('no-terminal ends the stream without RUN_FINISHED: the official rules accept it, the load-test rule does not, and the run is billed', async () => {
      await target.setFaults('no-terminal');
      const owner = await accessToken(target.url);
      const result = await postSse(`${target.url}/`, runInput('no end'), sseHeaders(owner));
      const events = eventsOf(result);
      assert.equal(result.ended, 'complete');
      assert.ok(!types(events).some((t) => t === 'RUN_FINISHED' || t === 'RUN_ERROR'));
      assert.equal(officialProblem(events), undefined);
      assert.deepEqual(terminalProblems(events), ['the stream ended without RUN_FINISHED or RUN_ERROR']);
      await target.settled();
      assert.equal((await getJson(`${target.url}/billing/summary`, owner)).body.runs, 1);
    });

    it('agent-error ends the run with RUN_ERROR, well-formed, and bills nothing', async () => {
      await target.setFaults('agent-error');
      const owner = await accessToken(target.url);
      const events = eventsOf(await postSse(`${target.url}/`, runInput('fail'), sseHeaders(owner)));
      assert.equal(events.at(-1)!.type, 'RUN_ERROR');
      assert.equal(events.at(-1)!.code, 'injected_fault');
      assert.equal(officialProblem(events), undefined);
      assert.deepEqual(terminalProblems(events), []);
      await target.settled();
      assert.equal((await getJson(`${target.url}/billing/summary`, owner)).body.runs, 0);
    });

    it('drop-socket cuts the SSE response and the WebSocket mid-run', async () => {
      await target.setFaults('drop-socket:1');
      const result = await postSse(`${target.url}/`, runInput('cut'), sseHeaders(token));
      assert.equal(result.ended, 'cut');
      assert.ok(result.frames.length >= 1);
      assert.deepEqual(terminalProblems(eventsOf(result)), ['the stream ended without RUN_FINISHED or RUN_ERROR']);
      const socket = await openSocket(target, token);
      socket.send(runInput('cut the socket'));
      const closed = await socket.closed;
      assert.equal(closed.code, 1006);
      assert.ok(!socket.drain().some(isTerminal));
    });

    it('slow-first-token delays the first TEXT_MESSAGE_CONTENT by at least its ms, and the stream stays well-formed', async () => {
      await target.setFaults('slow-first-token:1200');
      const result = await postSse(`${target.url}/`, runInput('slow start'), sseHeaders(token));
      const events = eventsOf(result);
      assert.equal(officialProblem(events), undefined);
      const startedAt = result.frames[0]!.receivedAt;
      const firstText = result.frames.find((f) => f.data.type === 'TEXT_MESSAGE_CONTENT' || (f.data.type === 'TEXT_MESSAGE_CHUNK' && f.data.delta !== undefined))!;
      // A lower bound only: the fault sleeps at least this long, however busy the machine.
      assert.ok(firstText.receivedAt - startedAt >= 1200, `first token after ${firstText.receivedAt - startedAt} ms`);
    });
  });
});
