/**
 * `envelope`: the `{type, payload | data}` JSON envelope over WebSocket (DIALECTS.md §1).
 * Every variant the spec allows is accepted: fields at the top level, in `payload` or in `data`;
 * the wrapped `system_message` form of connection_established; heartbeats mid-run; tools paired
 * by id, or by agent and name first in first out when there is none; auth refused before the
 * upgrade or as an error frame. A run is every frame after one user_message until its terminal event.
 */
import { asString, bearerTokens, field, type Dialect, type Frame, type RunStart, type RunTracker } from './dialect.ts';
import { LifecycleRules, type LifecycleEvent, type LifecycleKind } from './lifecycle.ts';

const KINDS: Readonly<Record<string, LifecycleKind>> = {
  agent_started: 'agent_started',
  agent_thinking: 'thinking',
  tool_executing: 'tool_start',
  tool_completed: 'tool_end',
  agent_completed: 'agent_finished',
  agent_error: 'run_error',
  error_message: 'run_error',
  partial_result: 'text_delta',
};
/** Frames that may come at any time and are not part of a run. */
const SESSION_TYPES = new Set(['heartbeat', 'pong', 'connection_established', 'system_message']);

function textOf(frame: Frame): string {
  const text = field(frame, 'delta') ?? field(frame, 'content') ?? field(frame, 'text');
  return typeof text === 'string' ? text : '';
}

function errorOf(frame: Frame): string {
  const code = field(frame, 'error_code') ?? field(frame, 'code');
  const message = field(frame, 'message') ?? field(frame, 'error');
  return [code, message].filter((part) => typeof part === 'string').join(': ') || String(frame.type);
}

class EnvelopeRun implements RunTracker {
  private readonly rules = new LifecycleRules({ firstEvent: 'agent_started', firstEventName: 'agent_started' });
  private firstAgent: unknown;
  private run: unknown;
  private thread: unknown;
  /** Tools without an id, by agent and name, oldest first. */
  private readonly unnamedTools = new Map<string, string[]>();
  private unnamedCount = 0;

  get runId(): string {
    return typeof this.run === 'string' ? this.run : '';
  }
  get threadId(): string | undefined {
    return typeof this.thread === 'string' ? this.thread : undefined;
  }

  accept(frame: Frame): LifecycleEvent | undefined {
    const type = String(frame.type);
    if (SESSION_TYPES.has(type)) return undefined;
    const known = KINDS[type];
    if (known === undefined) return { kind: 'ignorable', type };
    const agent = field(frame, 'agent_name') ?? field(frame, 'agent');
    let kind = known;
    if (this.rules.count === 0) this.firstAgent = agent;
    if (kind === 'agent_finished' && agent === this.firstAgent) kind = 'run_completed';
    const event: LifecycleEvent = { kind, type, agent };
    const runId = field(frame, 'run_id');
    if (runId !== undefined) {
      event.runId = runId;
      this.run ??= runId;
    }
    this.thread ??= field(frame, 'thread_id');
    if (kind === 'tool_start' || kind === 'tool_end') event.key = this.toolKey(frame, kind, agent);
    else if (kind === 'text_delta') event.text = textOf(frame);
    else if (kind === 'run_error') event.error = errorOf(frame);
    this.rules.push(event);
    return event;
  }

  finish() {
    return this.rules.finish();
  }

  private toolKey(frame: Frame, kind: LifecycleKind, agent: unknown): unknown {
    const id = asString(field(frame, 'tool_call_id')) ?? asString(field(frame, 'execution_id'));
    if (id !== undefined) return id;
    const name = `${String(agent)}\u0000${String(field(frame, 'tool_name') ?? field(frame, 'tool'))}`;
    let queue = this.unnamedTools.get(name);
    if (kind === 'tool_start') {
      if (!queue) this.unnamedTools.set(name, (queue = []));
      const key = `${String(field(frame, 'tool_name'))}#${++this.unnamedCount}`;
      queue.push(key);
      return key;
    }
    return queue?.shift() ?? `${String(field(frame, 'tool_name'))} (never started)`;
  }
}

export const envelope: Dialect = {
  name: 'envelope',
  nestedAgents: true,
  billing: false,
  defaultAuthMode: 'signup',
  defaultPaths: { signup: '/auth/register', login: '/auth/login', refresh: '/auth/refresh', me: '/auth/me', ws: '/ws' },
  healthContract: false,
  signupBody: (c) => ({ email: c.email, password: c.password, name: c.email.split('@')[0] }),
  signupAccepted: (status) => status === 200 || status === 201,
  signupCheck: 'signup answers 200 or 201',
  tokensFrom: bearerTokens,
  tokenSubprotocols: (token) => [`jwt.${token}`],
  tokenQueryParam: 'token',
  sessionFrame(frame) {
    const type = frame.type;
    if (type === 'connection_established') return 'ready';
    if (type === 'system_message' && field(frame, 'event') === 'connection_established') return 'ready';
    if (type === 'error_message' || type === 'error') return 'refused';
    return undefined;
  },
  userMessage(run: RunStart) {
    const payload: Frame = { content: run.content };
    if (run.threadId !== undefined) payload.thread_id = run.threadId;
    // Not in the envelope spec; a backend that knows no modes ignores it, ours runs its orchestration.
    if (run.mode === 'orchestration') payload.mode = 'orchestration';
    return [JSON.stringify({ type: 'user_message', payload })];
  },
  startRun: () => new EnvelopeRun(),
  lifecycleCheck: { name: 'run streams agent started and agent completed', kinds: ['agent_started', 'run_completed'] },
};
