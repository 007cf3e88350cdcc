import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentSlaRun, validateRun } from '../lib/dialects/agent-sla.ts';
import type { Frame as RunEventLike } from '../lib/dialects/dialect.ts';

const base = { run_id: 'r1', request_id: 'q1', thread_id: 'th1' };
const seqd = (events: RunEventLike[]): RunEventLike[] => events.map((e, i) => ({ ...base, seq: i + 1, ...e }));

const single = (): RunEventLike[] => seqd([
  { type: 'agent_started', agent: 'assistant' },
  { type: 'agent_thinking', agent: 'assistant' },
  { type: 'tool_executing', agent: 'assistant', tool_call_id: 't1' },
  { type: 'tool_completed', agent: 'assistant', tool_call_id: 't1' },
  { type: 'partial_result', agent: 'assistant' },
  { type: 'agent_completed', agent: 'assistant' },
]);

const orchestration = (): RunEventLike[] => {
  const events: RunEventLike[] = [{ type: 'agent_started', agent: 'supervisor' }];
  let from = 'supervisor';
  for (const to of ['triage', 'data', 'actions']) {
    events.push({ type: 'agent_handoff', from, to, context_id: 'c1' });
    events.push({ type: 'agent_started', agent: to });
    events.push({ type: 'tool_executing', agent: to, tool_call_id: `t-${to}` });
    events.push({ type: 'tool_completed', agent: to, tool_call_id: `t-${to}` });
    events.push({ type: 'agent_completed', agent: to });
    from = to;
  }
  events.push({ type: 'agent_completed', agent: 'supervisor' });
  return seqd(events);
};

function assertViolation(events: RunEventLike[], mode: 'single' | 'orchestration', fragment: string): void {
  const result = validateRun(events, mode);
  assert.equal(result.ok, false);
  assert.ok(result.violations.some((v) => v.includes(fragment)), `expected "${fragment}" in ${JSON.stringify(result.violations)}`);
}

describe('agent-sla dialect: validateRun', () => {
  it('accepts well-formed single and orchestration runs', () => {
    assert.deepEqual(validateRun(single(), 'single'), { ok: true, violations: [] });
    assert.deepEqual(validateRun(orchestration(), 'orchestration'), { ok: true, violations: [] });
  });

  it('accepts a run ended by agent_error', () => {
    const events = seqd([{ type: 'agent_started', agent: 'assistant' }, { type: 'agent_error', agent: 'assistant' }]);
    assert.equal(validateRun(events, 'single').ok, true);
  });

  it('rejects a seq gap and a seq not starting at 1', () => {
    const gap = single();
    gap.splice(2, 1);
    assertViolation(gap.map((e, i) => (i >= 2 ? { ...e, seq: i + 2 } : e)), 'single', 'expected 3');
    assertViolation(single().map((e) => ({ ...e, seq: (e.seq as number) + 1 })), 'single', 'expected 1');
  });

  it('rejects an unclosed tool and a tool completed twice', () => {
    assertViolation(single().filter((e) => e.type !== 'tool_completed').map((e, i) => ({ ...e, seq: i + 1 })), 'single', 'still executing');
    const twice = single();
    twice.splice(4, 0, { ...twice[3]! });
    assertViolation(twice.map((e, i) => ({ ...e, seq: i + 1 })), 'single', 'without being open');
  });

  it('rejects a first event other than agent_started and events from an agent that never started', () => {
    assertViolation(seqd([{ type: 'agent_thinking', agent: 'assistant' }, { type: 'agent_completed', agent: 'assistant' }]), 'single', 'first event');
    const stray = single();
    stray.splice(1, 0, { type: 'partial_result', agent: 'ghost' });
    assertViolation(stray.map((e, i) => ({ ...e, seq: i + 1 })), 'single', 'not running');
  });

  it('rejects handoffs out of order and a changed context_id', () => {
    const swapped = orchestration().map((e) =>
      e.type === 'agent_handoff' && e.to === 'data' ? { ...e, from: 'data', to: 'triage' } : e);
    assertViolation(swapped, 'orchestration', 'expected triage→data');
    const context = orchestration().map((e) => (e.type === 'agent_handoff' && e.to === 'actions' ? { ...e, context_id: 'c2' } : e));
    assertViolation(context, 'orchestration', 'context_id changed');
  });

  it('rejects two terminal events, a missing terminal and a terminal that is not last', () => {
    const two = single();
    two.push({ ...base, seq: two.length + 1, type: 'agent_error', agent: 'assistant' });
    assertViolation(two, 'single', 'after the terminal');
    assertViolation(single().slice(0, -1), 'single', 'no terminal event');
  });

  it('rejects an agent that started but never completed, and a changed run_id', () => {
    const events = orchestration().filter((e) => !(e.type === 'agent_completed' && e.agent === 'data')).map((e, i) => ({ ...e, seq: i + 1 }));
    assertViolation(events, 'orchestration', 'data never completed');
    assertViolation(single().map((e, i) => (i === 3 ? { ...e, run_id: 'other' } : e)), 'single', 'run_id changed');
  });

  it('rejects a changed thread_id or request_id, and a tool completed by another agent', () => {
    assertViolation(single().map((e, i) => (i === 2 ? { ...e, thread_id: 'th2' } : e)), 'single', 'thread_id changed');
    assertViolation(single().map((e, i) => (i === 4 ? { ...e, request_id: 'q2' } : e)), 'single', 'request_id changed');
    const crossed = orchestration().map((e) => (e.type === 'tool_completed' && e.agent === 'data' ? { ...e, agent: 'supervisor' } : e));
    assertViolation(crossed, 'orchestration', 'opened by data, completed by supervisor');
  });

  it('rejects an agent that is not the one handed to, a missing context_id, too few handoffs and a wrong top agent', () => {
    const wrongAgent = orchestration().map((e) => (e.type === 'agent_started' && e.agent === 'triage' ? { ...e, agent: 'actions' } : e));
    assertViolation(wrongAgent, 'orchestration', 'the handoff was to triage');
    const noContext = orchestration().map((e) => (e.type === 'agent_handoff' && e.to === 'data' ? { ...e, context_id: '' } : e));
    assertViolation(noContext, 'orchestration', 'missing context_id');
    const events = orchestration();
    const actionsFrom = events.findIndex((e) => e.type === 'agent_handoff' && e.to === 'actions');
    const short = [...events.slice(0, actionsFrom), events.at(-1)!].map((e, i) => ({ ...e, seq: i + 1 }));
    assertViolation(short, 'orchestration', '2 handoffs, expected 3');
    assertViolation(single(), 'orchestration', 'must start with supervisor');
    assertViolation(orchestration(), 'single', 'in a single run');
  });

  it('rejects an unknown event type and an agent_started for an agent already running', () => {
    const unknown = single();
    unknown.splice(1, 0, { type: 'agent_sleeping', agent: 'assistant' });
    assertViolation(unknown.map((e, i) => ({ ...e, seq: i + 1 })), 'single', 'unknown event type');
    const twice = single();
    twice.splice(1, 0, { type: 'agent_started', agent: 'assistant' });
    assertViolation(twice.map((e, i) => ({ ...e, seq: i + 1 })), 'single', 'started twice');
  });

  it('validates event by event in the streaming form, and says when the run has ended', () => {
    const validator = new AgentSlaRun('orchestration');
    const events = orchestration();
    for (const event of events.slice(0, -1)) {
      validator.push(event);
      assert.equal(validator.terminated, false);
    }
    validator.push(events.at(-1)!);
    assert.equal(validator.terminated, true);
    assert.equal(validator.count, events.length);
    assert.deepEqual(validator.finish(), { ok: true, violations: [] });
    const broken = new AgentSlaRun('single');
    for (const event of single().slice(0, 3)) broken.push(event);
    assert.equal(broken.terminated, false);
    const verdict = broken.finish();
    assert.equal(verdict.ok, false);
    assert.ok(verdict.violations.some((v) => v.includes('t1 never completed')), JSON.stringify(verdict.violations));
  });

  it('rejects an empty run', () => {
    assert.deepEqual(validateRun([], 'single'), { ok: false, violations: ['no events'] });
  });
});
