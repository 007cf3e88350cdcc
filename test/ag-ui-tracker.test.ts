import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agUi } from '../lib/dialects/ag-ui.ts';

const start = { requestId: 'run-1', content: 'hello', mode: 'single' as const, threadId: 'thread-1' };

function track(frames: Array<Record<string, unknown>>) {
  const run = agUi.startRun(start);
  const kinds = frames.map((frame) => run.accept(frame)!);
  return { run, kinds, verdict: run.finish() };
}

describe('ag-ui dialect: RunAgentInput out, lifecycle in', () => {
  it('sends one RunAgentInput; the orchestration mode travels in forwardedProps', () => {
    assert.deepEqual(JSON.parse(agUi.userMessage(start)[0]!), {
      threadId: 'thread-1', runId: 'run-1', messages: [{ id: 'msg-run-1', role: 'user', content: 'hello' }], tools: [], context: [], state: {}, forwardedProps: {},
    });
    assert.deepEqual(JSON.parse(agUi.userMessage({ ...start, mode: 'orchestration' })[0]!).forwardedProps, { mode: 'orchestration' });
  });

  it('expands chunks, reports the most significant event per frame and sums usage[]', () => {
    const { run, kinds, verdict } = track([
      { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1' },
      { type: 'STEP_STARTED', stepName: 'assistant' },
      { type: 'TOOL_CALL_CHUNK', toolCallId: 't1', toolCallName: 'search', delta: '{}' },
      { type: 'TEXT_MESSAGE_CHUNK', messageId: 'm1', delta: 'Hi' },
      { type: 'TEXT_MESSAGE_CHUNK', delta: ' there' },
      { type: 'STEP_FINISHED', stepName: 'assistant' },
      { type: 'RUN_FINISHED', threadId: 'thread-1', runId: 'run-1', usage: [{ inputTokens: 3, outputTokens: 4 }, { model: 'b', inputTokens: 1, outputTokens: 2 }] },
    ]);
    assert.deepEqual(verdict, { ok: true, violations: [] });
    assert.deepEqual(kinds.map((k) => k.kind), ['agent_started', 'agent_started', 'tool_start', 'text_delta', 'text_delta', 'agent_finished', 'run_completed']);
    assert.equal(kinds[4]!.text, ' there');
    assert.deepEqual(kinds.at(-1)!.usage, { input_tokens: 4, output_tokens: 6 });
    assert.equal(run.runId, 'run-1');
  });

  it('fails the run on RUN_ERROR and on a RUN_FINISHED that did not succeed', () => {
    assert.deepEqual(track([{ type: 'RUN_STARTED', threadId: 't', runId: 'r' }, { type: 'RUN_ERROR', message: 'boom', code: 'E1' }]).kinds[1], { kind: 'run_error', type: 'RUN_ERROR', error: 'E1: boom' });
    const interrupted = track([{ type: 'RUN_STARTED', threadId: 't', runId: 'r' }, { type: 'RUN_FINISHED', threadId: 't', runId: 'r', outcome: { type: 'interrupt', interrupts: [] } }]);
    assert.equal(interrupted.kinds[1]!.kind, 'run_error');
  });

  it('names what is malformed: an open tool call, a chunk that cannot start, a missing terminal', () => {
    const open = track([{ type: 'RUN_STARTED', threadId: 't', runId: 'r' }, { type: 'TOOL_CALL_START', toolCallId: 't1', toolCallName: 'x' }, { type: 'RUN_FINISHED', threadId: 't', runId: 'r' }]);
    assert.deepEqual(open.verdict.violations, ['event 3 (RUN_FINISHED): RUN_FINISHED while tool calls still open: t1']);
    const idless = track([{ type: 'RUN_STARTED', threadId: 't', runId: 'r' }, { type: 'TEXT_MESSAGE_CHUNK', delta: 'x' }, { type: 'RUN_FINISHED', threadId: 't', runId: 'r' }]);
    assert.match(idless.verdict.violations[0]!, /first TEXT_MESSAGE_CHUNK of a stream must have a messageId/);
    assert.deepEqual(track([{ type: 'RUN_STARTED', threadId: 't', runId: 'r' }]).verdict.violations, ['the stream ended without RUN_FINISHED or RUN_ERROR']);
  });
});
