/**
 * `ag-ui`: the Agent–User Interaction protocol (DIALECTS.md §3). A run is one RunAgentInput,
 * answered by RUN_STARTED … RUN_FINISHED | RUN_ERROR, over SSE or one event per WebSocket text
 * frame. `*_CHUNK` events are expanded first; every event is checked by the official rules plus
 * "exactly one terminal". Steps are the run's nested agents; tool calls pair by toolCallId.
 * There is no session-ready frame in AG-UI: a socket is ready once open.
 */
import { AgUiRules, type AgUiEvent } from './ag-ui-rules.ts';
import { ChunkExpander } from './ag-ui-chunks.ts';
import { bearerTokens, type Dialect, type Frame, type RunStart, type RunTracker } from './dialect.ts';
import type { LifecycleEvent, LifecycleKind, Usage } from './lifecycle.ts';

/** The agent's HTTP path when PATH_AGENT is not set. */
export const AG_UI_AGENT_PATH = '/';

/** Ids derive from the request id, so userMessage and startRun agree without sharing state. */
const threadIdOf = (run: RunStart): string => run.threadId ?? `thread-${run.requestId}`;

/** RunAgentInput: the one message a run sends. `forwardedProps.mode` asks the reference target for its orchestration. */
export function runAgentInput(run: RunStart): Record<string, unknown> {
  return {
    threadId: threadIdOf(run),
    runId: run.requestId,
    messages: [{ id: `msg-${run.requestId}`, role: 'user', content: run.content }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: run.mode === 'orchestration' ? { mode: 'orchestration' } : {},
  };
}

/** The sum of RUN_FINISHED.usage[] (one entry per provider and model), when it holds any count. */
export function usageOf(entries: unknown): Usage | undefined {
  if (!Array.isArray(entries)) return undefined;
  let input = 0;
  let output = 0;
  let counted = false;
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { inputTokens, outputTokens } = entry as Frame;
    if (typeof inputTokens === 'number' && Number.isFinite(inputTokens)) {
      input += inputTokens;
      counted = true;
    }
    if (typeof outputTokens === 'number' && Number.isFinite(outputTokens)) {
      output += outputTokens;
      counted = true;
    }
  }
  return counted ? { input_tokens: input, output_tokens: output } : undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** One expanded event as a lifecycle event. A RUN_FINISHED whose outcome is an interrupt or a cancel did not complete the user's request. */
function lifecycleOf(event: AgUiEvent): LifecycleEvent {
  const type = event.type;
  switch (type) {
    case 'RUN_STARTED':
      return { kind: 'agent_started', type, runId: event.runId };
    case 'STEP_STARTED':
      return { kind: 'agent_started', type, agent: event.stepName };
    case 'STEP_FINISHED':
      return { kind: 'agent_finished', type, agent: event.stepName };
    case 'TOOL_CALL_START':
      return { kind: 'tool_start', type, key: event.toolCallId };
    case 'TOOL_CALL_END':
      return { kind: 'tool_end', type, key: event.toolCallId };
    case 'TEXT_MESSAGE_CONTENT':
      return { kind: 'text_delta', type, text: typeof event.delta === 'string' ? event.delta : '' };
    case 'RUN_FINISHED': {
      const outcome = (event.outcome as Frame | undefined)?.type;
      if (outcome !== undefined && outcome !== 'success') return { kind: 'run_error', type, runId: event.runId, error: `run finished with outcome ${String(outcome)}` };
      const done: LifecycleEvent = { kind: 'run_completed', type, runId: event.runId };
      const usage = usageOf(event.usage);
      if (usage) done.usage = usage;
      return done;
    }
    case 'RUN_ERROR': {
      const message = text(event.message) ?? 'RUN_ERROR';
      const code = text(event.code);
      return { kind: 'run_error', type, error: code ? `${code}: ${message}` : message };
    }
    default:
      return { kind: 'ignorable', type };
  }
}

/** When one frame expands into several events, the one reported is the most significant. */
const RANK: Readonly<Partial<Record<LifecycleKind, number>>> = {
  ignorable: 0, agent_finished: 1, agent_started: 2, tool_end: 3, tool_start: 4, text_delta: 5, run_completed: 6, run_error: 6,
};
const rank = (event: LifecycleEvent): number => RANK[event.kind] ?? 0;

class AgUiRun implements RunTracker {
  private readonly expander = new ChunkExpander();
  private readonly rules = new AgUiRules();
  private run: unknown;
  private thread: unknown;

  constructor(private readonly start: RunStart) {}

  get runId(): string {
    return typeof this.run === 'string' ? this.run : this.start.requestId;
  }
  get threadId(): string | undefined {
    return typeof this.thread === 'string' ? this.thread : threadIdOf(this.start);
  }

  accept(frame: Frame): LifecycleEvent | undefined {
    const type = String(frame.type);
    const event = { ...frame, type } as AgUiEvent;
    const expansion = this.expander.expand(event);
    if (expansion.error !== undefined) this.rules.reject(type, expansion.error);
    let reported: LifecycleEvent = { kind: 'ignorable', type };
    for (const expanded of expansion.events) {
      this.rules.push(expanded);
      if (expanded.type === 'RUN_STARTED') {
        this.run ??= expanded.runId;
        this.thread ??= expanded.threadId;
      }
      const lifecycle = lifecycleOf(expanded);
      if (rank(lifecycle) > rank(reported)) reported = lifecycle;
    }
    // A chunk that failed to expand still ends nothing; the violation is in the verdict. Structure
    // (message starts, snapshots, custom events) is checked but is not a lifecycle event.
    return reported.kind === 'ignorable' ? undefined : reported;
  }

  finish() {
    return this.rules.finish();
  }
}

export const agUi: Dialect = {
  name: 'ag-ui',
  nestedAgents: true,
  billing: false,
  defaultAuthMode: 'token',
  defaultPaths: { signup: '/auth/signup', login: '/auth/login', refresh: '/auth/refresh', me: '/auth/me', ws: '/ws' },
  healthContract: false,
  readyAtOpen: true,
  streamsOverHttp: true,
  signupBody: (c) => ({ email: c.email, password: c.password, plan: c.plan }),
  signupAccepted: (status) => status === 200 || status === 201,
  signupCheck: 'signup answers 200 or 201',
  tokensFrom: bearerTokens,
  // AG-UI defines no WebSocket auth; the reference target selects `ag-ui` and reads the token from `bearer.<token>`.
  tokenSubprotocols: (token) => ['ag-ui', `bearer.${token}`],
  tokenQueryParam: 'token',
  // No frame makes an AG-UI socket ready: the socket is ready at open. A RUN_ERROR before any run is a refusal.
  sessionFrame: (frame) => (frame.type === 'RUN_ERROR' ? 'refused' : undefined),
  userMessage: (run) => [JSON.stringify(runAgentInput(run))],
  startRun: (run) => new AgUiRun(run),
  lifecycleCheck: { name: 'run streams RUN_STARTED and RUN_FINISHED', kinds: ['agent_started', 'run_completed'] },
};
