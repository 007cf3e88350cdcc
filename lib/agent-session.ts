import { check } from 'k6';
import { clearTimeout, setTimeout, type TimeoutID } from 'k6/timers';
import { WebSocket, type Params } from 'k6/websockets';
import {
  validateRun, WS_AUTH_SUBPROTOCOL, WS_TOKEN_SUBPROTOCOL_PREFIX,
  type AgentCompleted, type Plan, type RunEvent, type RunMode, type ServerMessage, type UserMessage,
} from './protocol/index.ts';
import type { Config, TokenMode } from './config.ts';
import {
  agentEventLatency, agentEventSequenceOk, agentResponseDuration, agentRunOk, agentRunsCompleted, agentRunsFailed,
  agentTimeToFirstEvent, authDuration, orchestrationDuration, wsCloseCodes,
} from './metrics.ts';
import { RunFailure, SessionRefused, type FailureReason } from './run-failure.ts';

export interface RunRequest {
  content: string;
  mode?: RunMode;
  threadId?: string;
  /** Idempotency key; a fresh one when absent. */
  requestId?: string;
}

export interface RunResult {
  requestId: string;
  runId: string;
  threadId: string;
  mode: RunMode;
  events: RunEvent[];
  completion: AgentCompleted;
  /** user_message sent → terminal event, ms. */
  responseMs: number;
}

export interface SessionOptions {
  plan: Plan;
  tokenMode?: TokenMode;
}

interface ActiveRun {
  requestId: string;
  mode: RunMode;
  sentAt: number;
  events: RunEvent[];
  resolve: (result: RunResult) => void;
  reject: (failure: RunFailure) => void;
  timer: TimeoutID;
}

/** k6/websockets takes subprotocols as its second argument; @types/k6 still types it as null. */
type SocketConstructor = new (url: string, protocols: string[] | null, params: Params) => WebSocket & { readonly protocol: string };
interface CloseEvent {
  code?: number;
}

let requestCounter = 0;
const newRequestId = (): string => `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}-${++requestCounter}`;

/**
 * One authenticated WebSocket to the agent backend. `open()` resolves once the server sent
 * connection_established; `run()` sends one user_message and resolves with the run's events,
 * or rejects with a RunFailure. It is the only place agent latency is measured: k6 itself
 * has no request→response timing for WebSocket messages. Event timestamps are k6's receive
 * times (MessageEvent.timestamp), so a busy VU event loop does not inflate them.
 */
export class AgentSession {
  readonly closed: Promise<number | undefined>;
  /** The subprotocol the server selected ('' for none). */
  protocol = '';
  private readonly socket: WebSocket & { readonly protocol: string };
  private readonly tags: Record<string, string>;
  private readonly eventTags: Record<string, Record<string, string>> = {};
  private active: ActiveRun | undefined;
  private established = false;
  private closeCode: number | undefined;
  private ready!: { resolve: (session: AgentSession) => void; reject: (error: SessionRefused) => void };
  private readonly opened: Promise<AgentSession>;

  private constructor(private readonly config: Config, token: string | undefined, options: SessionOptions) {
    this.tags = { plan: options.plan };
    this.opened = new Promise((resolve, reject) => (this.ready = { resolve, reject }));
    let markClosed!: (code: number | undefined) => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));

    const headers: Record<string, string> = {};
    let protocols: string[] | null = null;
    if (token !== undefined && options.tokenMode === 'subprotocol') protocols = [WS_AUTH_SUBPROTOCOL, `${WS_TOKEN_SUBPROTOCOL_PREFIX}${token}`];
    else if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    const startedAt = Date.now();
    const Socket = WebSocket as unknown as SocketConstructor;
    this.socket = new Socket(config.wsUrl, protocols, { headers, tags: { ...this.tags, name: `WS ${config.paths.ws}` } });

    let lastError = 'closed before connection_established';
    this.socket.addEventListener('open', () => {
      this.protocol = this.socket.protocol;
      authDuration.add(Date.now() - startedAt, { ...this.tags, name: `WS ${config.paths.ws}` });
    });
    this.socket.addEventListener('error', (event) => {
      lastError = (event as { error?: string }).error ?? 'error';
    });
    this.socket.addEventListener('message', (event) => this.onMessage(event as { data: unknown; timestamp: number }));
    this.socket.addEventListener('close', (event) => {
      const code = (event as unknown as CloseEvent).code;
      this.closeCode = code;
      wsCloseCodes.add(1, { close_code: code === undefined ? 'none' : String(code) });
      if (!this.established) this.ready.reject(new SessionRefused(lastError));
      const run = this.active;
      if (run) this.fail(run, 'closed', `socket closed (code ${code ?? 'none'}) after ${run.events.length} events`, [], code);
      markClosed(code);
    });
  }

  /** Opens a session with the token in the configured form; rejects with SessionRefused. */
  static open(config: Config, token: string | undefined, options: SessionOptions): Promise<AgentSession> {
    const session = new AgentSession(config, token, { tokenMode: config.tokenMode, ...options });
    const guard = setTimeout(() => session.socket.close(), config.runTimeoutMs);
    return session.opened.then(
      (opened) => {
        clearTimeout(guard);
        return opened;
      },
      (error: unknown) => {
        clearTimeout(guard);
        throw error;
      },
    );
  }

  /** Sends one user_message; one run at a time per session. */
  run(request: RunRequest): Promise<RunResult> {
    if (this.active) return Promise.reject(new Error('a run is already in flight on this session'));
    if (this.closeCode !== undefined || !this.established) {
      return Promise.reject(new RunFailure('closed', 'the session is not open', [], [], this.closeCode));
    }
    const mode = request.mode ?? 'single';
    const message: UserMessage = { type: 'user_message', request_id: request.requestId ?? newRequestId(), content: request.content, mode };
    if (request.threadId !== undefined) message.thread_id = request.threadId;
    return new Promise<RunResult>((resolve, reject) => {
      const run: ActiveRun = { requestId: message.request_id, mode, sentAt: Date.now(), events: [], resolve, reject, timer: 0 };
      run.timer = setTimeout(() => this.timeout(run), this.config.runTimeoutMs);
      this.active = run;
      this.socket.send(JSON.stringify(message));
    });
  }

  /** Closes normally (1000) and resolves with the close code seen. */
  close(): Promise<number | undefined> {
    if (this.closeCode === undefined) this.socket.close(1000);
    return this.closed;
  }

  private onMessage(event: { data: unknown; timestamp: number }): void {
    let frame: ServerMessage;
    try {
      frame = JSON.parse(String(event.data)) as typeof frame;
    } catch {
      if (!this.active) return;
      agentEventSequenceOk.add(false, this.tags);
      this.fail(this.active, 'invalid', 'a frame is not JSON', ['frame is not JSON']);
      return;
    }
    if (frame.type === 'connection_established') {
      this.established = true;
      if (this.protocol !== '' || this.config.tokenMode === 'subprotocol') {
        check(this.protocol, { 'server selected jwt-auth, never the token subprotocol': (p) => p === WS_AUTH_SUBPROTOCOL });
      }
      this.ready.resolve(this);
      return;
    }
    if (frame.type === 'pong') return;
    const run = this.active;
    if (!run || frame.request_id !== run.requestId) return;
    const elapsed = event.timestamp - run.sentAt;
    if (run.events.length === 0) agentTimeToFirstEvent.add(elapsed, this.tags);
    run.events.push(frame);
    agentEventLatency.add(elapsed, (this.eventTags[frame.type] ??= { ...this.tags, event_type: frame.type }));
    const first = run.events[0]!;
    const terminal = frame.type === 'agent_error' || (frame.type === 'agent_completed' && 'agent' in first && frame.agent === first.agent);
    if (terminal) this.settle(run, frame, elapsed);
  }

  private settle(run: ActiveRun, last: RunEvent, elapsed: number): void {
    const verdict = validateRun(run.events, run.mode);
    agentEventSequenceOk.add(verdict.ok, this.tags);
    if (last.type === 'agent_error') {
      this.fail(run, 'agent_error', `${last.agent}: ${last.code}`);
      return;
    }
    (run.mode === 'orchestration' ? orchestrationDuration : agentResponseDuration).add(elapsed, this.tags);
    if (!verdict.ok) {
      this.fail(run, 'invalid', verdict.violations.slice(0, 3).join('; '), verdict.violations);
      return;
    }
    this.end(run);
    agentRunOk.add(true, this.tags);
    agentRunsCompleted.add(1, this.tags);
    run.resolve({
      requestId: run.requestId, runId: last.run_id, threadId: last.thread_id, mode: run.mode,
      events: run.events, completion: last as AgentCompleted, responseMs: elapsed,
    });
  }

  /** A run with no terminal event in time counts at the timeout in its latency metric, so silence never improves p95. */
  private timeout(run: ActiveRun): void {
    if (this.active !== run) return;
    (run.mode === 'orchestration' ? orchestrationDuration : agentResponseDuration).add(Date.now() - run.sentAt, this.tags);
    agentEventSequenceOk.add(false, this.tags);
    this.fail(run, 'timeout', `no terminal event within ${this.config.runTimeoutMs} ms (${run.events.length} events)`);
  }

  private fail(run: ActiveRun, reason: FailureReason, message: string, violations: string[] = [], closeCode?: number): void {
    if (this.active !== run) return;
    if (reason === 'closed') agentEventSequenceOk.add(false, this.tags);
    this.end(run);
    agentRunOk.add(false, this.tags);
    agentRunsFailed.add(1, { ...this.tags, reason });
    run.reject(new RunFailure(reason, message, run.events, violations, closeCode));
  }

  private end(run: ActiveRun): void {
    clearTimeout(run.timer);
    this.active = undefined;
  }
}
