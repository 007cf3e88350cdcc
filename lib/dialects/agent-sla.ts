/**
 * `agent-sla`: our own contract, PROTOCOL.md, which the reference target speaks. The default dialect.
 * Frames belong to a run by request_id; each carries seq, run_id, request_id and thread_id.
 */
import { ORCHESTRATION_PIPELINE, WS_AUTH_SUBPROTOCOL, WS_TOKEN_SUBPROTOCOL_PREFIX } from '../protocol/index.ts';
import { bearerTokens, usageFrom, type Dialect, type Frame, type RunMode, type RunTracker } from './dialect.ts';
import { benchOff } from '../bench-switches.ts';
import { LifecycleRules, type LifecycleEvent, type LifecycleKind, type RunValidation } from './lifecycle.ts';

const KINDS: Readonly<Record<string, LifecycleKind>> = {
  agent_started: 'agent_started',
  agent_thinking: 'thinking',
  tool_executing: 'tool_start',
  tool_completed: 'tool_end',
  agent_handoff: 'handoff',
  partial_result: 'text_delta',
  agent_completed: 'agent_finished',
  agent_error: 'run_error',
};
const LAST_HANDOFF = ORCHESTRATION_PIPELINE.length - 1;

/**
 * The contract's rules over one run, frame by frame: the shared lifecycle rules, plus seq without
 * gaps, one request_id and thread_id, and for orchestration the supervisor → triage → data →
 * actions pipeline with one context_id. `push` returns the frame as a lifecycle event.
 */
export class AgentSlaRun implements RunTracker {
  private readonly rules = new LifecycleRules({ firstEvent: 'agent_started', firstEventName: 'agent_started' });
  private requestId: unknown;
  private threadIdSeen: unknown;
  private contextId: unknown;
  private handoffs = 0;
  /** The agent the latest handoff went to, until it starts. */
  private awaited: unknown;
  private failed = false;
  private firstAgent: unknown;
  private decoded = 0;

  /** A bench build may decode without the rules (lib/bench-switches.ts). */
  private readonly validate = !benchOff.validation;

  /** `requestId`: only frames carrying it belong to the run (undefined: every frame, as validateRun feeds). */
  constructor(
    private readonly mode: RunMode,
    private readonly ownRequestId?: string,
  ) {}

  get count(): number {
    return this.rules.count;
  }
  get terminated(): boolean {
    return this.rules.terminals > 0;
  }
  private firstRunId: unknown;
  /** The run_id the run's first frame carried ('' before any). */
  get runId(): string {
    return typeof this.firstRunId === 'string' ? this.firstRunId : '';
  }
  get threadId(): string | undefined {
    return typeof this.threadIdSeen === 'string' ? this.threadIdSeen : undefined;
  }

  accept(frame: Frame): LifecycleEvent | undefined {
    if (this.ownRequestId !== undefined && frame.request_id !== this.ownRequestId) return undefined;
    return this.validate ? this.push(frame) : this.decode(frame);
  }

  push(frame: Frame): LifecycleEvent {
    const event = this.decode(frame);
    const n = this.rules.push(event);
    this.contractRules(n, event, frame);
    return event;
  }

  /** The frame as a lifecycle event, without the rules (push applies them; a bench build may skip them). */
  decode(frame: Frame): LifecycleEvent {
    const type = String(frame.type);
    const agent = frame.agent;
    let kind = KINDS[type] ?? 'unknown';
    if (this.decoded++ === 0) {
      this.firstAgent = agent;
      this.threadIdSeen = frame.thread_id;
    }
    if (kind === 'agent_finished' && agent === this.firstAgent) kind = 'run_completed';
    const event: LifecycleEvent = { kind, type, agent, runId: frame.run_id };
    if (kind === 'tool_start' || kind === 'tool_end') event.key = frame.tool_call_id;
    else if (kind === 'text_delta') event.text = frame.delta as string;
    else if (kind === 'run_completed') {
      const usage = usageFrom(frame.usage);
      if (usage) event.usage = usage;
    } else if (kind === 'run_error') {
      event.error = `${String(agent)}: ${String(frame.code)}`;
      this.failed = true;
    }
    this.firstRunId ??= frame.run_id;
    return event;
  }

  finish(): RunValidation {
    if (!this.validate) return { ok: true, violations: [] };
    if (this.rules.count > 0 && !this.failed) {
      const v = this.rules.violations;
      if (this.awaited !== undefined) v.add(`handoff to ${String(this.awaited)}, which never started`);
      if (this.mode === 'orchestration' && this.rules.terminals === 1 && this.handoffs !== LAST_HANDOFF) {
        v.add(`${this.handoffs} handoffs, expected ${LAST_HANDOFF}`);
      }
    }
    return this.rules.finish();
  }

  private contractRules(n: number, event: LifecycleEvent, frame: Frame): void {
    const v = this.rules.violations;
    if (frame.seq !== n) v.at(n, event, `seq ${String(frame.seq)}, expected ${n}`);
    if (n === 1) {
      this.requestId = frame.request_id;
      if (this.mode === 'orchestration' && event.agent !== ORCHESTRATION_PIPELINE[0]) v.at(n, event, `orchestration must start with ${ORCHESTRATION_PIPELINE[0]}`);
    } else {
      if (frame.request_id !== this.requestId) v.at(n, event, 'request_id changed');
      if (frame.thread_id !== this.threadIdSeen) v.at(n, event, 'thread_id changed');
    }
    if (event.kind === 'agent_started' && n > 1) {
      const agent = String(event.agent);
      if (this.mode === 'single') v.at(n, event, `second agent ${agent} in a single run`);
      else if (this.awaited === undefined) v.at(n, event, `agent ${agent} started without a handoff`);
      else if (event.agent !== this.awaited) v.at(n, event, `agent ${agent} started, but the handoff was to ${String(this.awaited)}`);
      this.awaited = undefined;
    } else if (event.kind === 'handoff') {
      this.handoff(n, event, frame);
    }
  }

  private handoff(n: number, event: LifecycleEvent, frame: Frame): void {
    const v = this.rules.violations;
    if (this.mode !== 'orchestration') {
      v.at(n, event, 'handoff in a single run');
      return;
    }
    const from = ORCHESTRATION_PIPELINE[this.handoffs];
    const to = ORCHESTRATION_PIPELINE[this.handoffs + 1];
    if (frame.from !== from || frame.to !== to) v.at(n, event, `handoff ${String(frame.from)}→${String(frame.to)}, expected ${String(from)}→${String(to)}`);
    if (typeof frame.context_id !== 'string' || frame.context_id === '') v.at(n, event, 'missing context_id');
    else if (this.handoffs === 0) this.contextId = frame.context_id;
    else if (frame.context_id !== this.contextId) v.at(n, event, 'context_id changed');
    if (this.awaited !== undefined) v.at(n, event, `handoff before ${String(this.awaited)} started`);
    this.awaited = frame.to;
    this.handoffs++;
  }
}

/** Validates a whole run at once (the target's tests use it on what the target sent). */
export function validateRun(frames: readonly Frame[], mode: RunMode = 'single'): RunValidation {
  const run = new AgentSlaRun(mode);
  for (const frame of frames) run.push(frame);
  return run.finish();
}

export const agentSla: Dialect = {
  name: 'agent-sla',
  nestedAgents: true,
  billing: true,
  defaultAuthMode: 'signup',
  defaultPaths: { signup: '/auth/signup', login: '/auth/login', refresh: '/auth/refresh', me: '/auth/me', ws: '/ws' },
  healthContract: true,
  signupBody: (c) => ({ email: c.email, password: c.password, plan: c.plan }),
  signupAccepted: (status, body, plan) => status === 201 && body?.plan === plan,
  signupCheck: 'signup answers 201 with the plan',
  tokensFrom: bearerTokens,
  tokenSubprotocols: (token) => [WS_AUTH_SUBPROTOCOL, `${WS_TOKEN_SUBPROTOCOL_PREFIX}${token}`],
  tokenQueryParam: 'token',
  selectedProtocolRule: {
    name: 'server selected jwt-auth, never the token subprotocol',
    ok: (selected, offered) => (offered === null && selected === '') || selected === WS_AUTH_SUBPROTOCOL,
  },
  sessionFrame: (frame) => (frame.type === 'connection_established' ? 'ready' : undefined),
  userMessage(run) {
    const message: Frame = { type: 'user_message', request_id: run.requestId, content: run.content, mode: run.mode };
    if (run.threadId !== undefined) message.thread_id = run.threadId;
    return [JSON.stringify(message)];
  },
  startRun: (start) => new AgentSlaRun(start.mode, start.requestId),
  lifecycleCheck: {
    name: 'run streams started, thinking, tool executing, tool completed, completed',
    kinds: ['agent_started', 'thinking', 'tool_start', 'tool_end', 'run_completed'],
  },
};
