import { check } from 'k6';
import type { RunEventType } from './protocol/index.ts';
import type { RunResult } from './agent-session.ts';

const LIFECYCLE: readonly RunEventType[] = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

/** The agent-events promise: every run shows the whole lifecycle (order is the validator's job). */
export function checkLifecycle(run: RunResult, tags: Record<string, string>): boolean {
  const seen = new Set(run.events.map((event) => event.type));
  return check(run, { 'run streams started, thinking, tool executing, tool completed, completed': () => LIFECYCLE.every((type) => seen.has(type)) }, tags);
}

/** Orchestration: one context_id through supervisor → triage → data → actions (the validator checks order). */
export function checkHandoffs(run: RunResult, tags: Record<string, string>): boolean {
  const handoffs = run.events.filter((event) => event.type === 'agent_handoff');
  const contexts = new Set(handoffs.map((event) => (event.type === 'agent_handoff' ? event.context_id : '')));
  return check(run, {
    'orchestration hands off supervisor → triage → data → actions': () =>
      handoffs.map((event) => (event.type === 'agent_handoff' ? `${event.from}>${event.to}` : '')).join(' ') === 'supervisor>triage triage>data data>actions',
    'context_id is preserved across handoffs': () => contexts.size === 1 && !contexts.has(''),
  }, tags);
}
