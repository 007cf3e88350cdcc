/**
 * A session with the agent backend and the runs on it: one authenticated WebSocket in the configured
 * dialect (or, for AG-UI over HTTP, a stream per run, lib/sse-session.ts), each run from its user
 * message to its terminal event. The dialect decodes and validates the frames; lib/run-record.ts
 * writes every metric and check of a run. A failed session or run resolves undefined: the metrics
 * have counted it, the first few per VU are logged (never a token), and the iteration goes on.
 */
import { check } from 'k6';
import { clearTimeout, setTimeout, type TimeoutID } from 'k6/timers';
import { WebSocket, type Params } from 'k6/websockets';
import type { SessionUser } from './auth.ts';
import { recordError, recordReachable, socketErrorKind } from './availability.ts';
import { benchOff } from './bench-switches.ts';
import type { Config, TokenMode } from './config.ts';
import type { Dialect, Frame, RunMode, RunStart, RunTracker } from './dialects/dialect.ts';
import type { LifecycleEvent, Usage } from './dialects/lifecycle.ts';
import {
  noteOffendingRun, recordCompletion, recordEvent, recordRun, recordRunNotStarted, recordSessionClosed, recordSessionOpened, recordTextDelta,
  recordTimeout, recordTransportCut,
} from './run-record.ts';
import { boundFor } from './sla-catalog.ts';

declare function require(name: string): unknown;

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
  threadId: string | undefined;
  mode: RunMode;
  /** The run's frames, decoded. */
  events: LifecycleEvent[];
  /** What the terminal event reported; undefined when the backend reports no usage. */
  usage: Usage | undefined;
  /** user message sent → terminal event, ms. */
  responseMs: number;
}

/** What a scenario drives: a WebSocket session, or AG-UI's stream per run over HTTP. */
export interface Session {
  readonly closed: Promise<number | undefined>;
  /** The run, or undefined when it failed (counted in agent_runs_failed by reason). */
  run(request: RunRequest): Promise<RunResult | undefined>;
  close(): Promise<number | undefined>;
}

/** A frame as the backend sent it: a JSON object, or undefined for anything else (a run then breaks the protocol). */
export function parseFrame(data: unknown): Frame | undefined {
  try {
    const frame: unknown = JSON.parse(typeof data === 'string' ? data : String(data));
    return typeof frame === 'object' && frame !== null ? (frame as Frame) : undefined;
  } catch {
    return undefined;
  }
}

let reported = 0;

/** The first few failures per VU go to the log, so a broken backend is visible without flooding it. */
function report(message: string): void {
  if (reported++ < 3) console.warn(message);
}

let requestCounter = 0;
const newRequestId = (): string => `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}-${++requestCounter}`;

/** The start of a run as the dialect encodes it, with a fresh idempotency key unless one is given. */
export function runStart(request: RunRequest): RunStart {
  const start: RunStart = { requestId: request.requestId ?? newRequestId(), content: request.content, mode: request.mode ?? 'single' };
  if (request.threadId !== undefined) start.threadId = request.threadId;
  return start;
}

interface GoodputBounds {
  response: number | undefined;
  ttft: number | undefined;
}
const goodputByPlanAndMode: Record<string, GoodputBounds> = {};

/** Goodput's test (vLLM, DistServe): the response within its SLA, and the first token within SLA_TTFT_MS where set; per plan, as its thresholds. */
function goodputBounds(config: Config, plan: string, mode: RunMode): GoodputBounds {
  return (goodputByPlanAndMode[`${plan} ${mode}`] ??= {
    response: boundFor(config.sla, config.slaByPlan, mode === 'orchestration' ? 'orchestration' : 'agent', plan),
    ttft: boundFor(config.sla, config.slaByPlan, 'ttft', plan),
  });
}

/**
 * One run, from its user message to its end, whatever carries its frames (a WebSocket, an SSE
 * stream): each frame is decoded by the dialect's tracker and measured; the terminal event, a
 * timeout or a cut transport settles it. `done` is called once, when it has.
 */
export class RunInFlight {
  readonly result: Promise<RunResult | undefined>;
  readonly sentAt = Date.now();
  private readonly tracker: RunTracker;
  private readonly events: LifecycleEvent[] = [];
  private settled = false;
  private firstDeltaMs = -1;
  private lastDeltaMs = -1;
  private resolve!: (result: RunResult | undefined) => void;
  private readonly timer: TimeoutID;

  constructor(
    private readonly config: Config,
    private readonly start: RunStart,
    private readonly tags: Record<string, string>,
    private readonly done: () => void,
  ) {
    this.tracker = config.dialect.startRun(start);
    this.result = new Promise((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.timeout(), config.runTimeoutMs);
  }

  get ended(): boolean {
    return this.settled;
  }

  /** A frame received at `receivedAt` (ms since the epoch, from k6's own receive time). */
  frame(frame: Frame, receivedAt: number): void {
    if (this.settled) return;
    const event = this.tracker.accept(frame);
    if (!event) return;
    const elapsed = receivedAt - this.sentAt;
    recordEvent(event, elapsed, this.events.length === 0, this.tags);
    const kind = event.kind;
    if (kind === 'ignorable') return;
    if (kind === 'text_delta') {
      recordTextDelta(elapsed, this.lastDeltaMs, this.tags);
      if (this.firstDeltaMs < 0) this.firstDeltaMs = elapsed;
      this.lastDeltaMs = elapsed;
    }
    this.events.push(event);
    if (kind === 'run_completed' || kind === 'run_error') this.settle(event, elapsed);
  }

  /** A frame that is not a JSON object: the stream broke the protocol. */
  notJson(): void {
    if (!this.end()) return;
    recordRun(this.start.mode, false, false, undefined, this.tags);
    recordError('protocol', this.tags);
    this.fail('invalid', 'a frame is not a JSON object');
  }

  /** The transport closed before the terminal event: delivery failed, not the protocol. */
  cut(message: string): void {
    if (!this.end()) return;
    recordTransportCut(this.tags);
    this.fail('closed', `${message} after ${this.events.length} events`);
  }

  private settle(last: LifecycleEvent, elapsed: number): void {
    if (!this.end()) return;
    const verdict = this.tracker.finish();
    const reason = recordRun(this.start.mode, verdict.ok, last.kind === 'run_error', elapsed, this.tags);
    if (reason === 'agent_error') {
      this.fail(reason, last.error ?? 'the backend reported an error');
      return;
    }
    if (reason === 'invalid') {
      recordError('protocol', this.tags);
      noteOffendingRun(this.tracker.runId, this.tags.plan ?? '', `stream: ${verdict.violations.slice(0, 2).join('; ')}`);
      this.fail(reason, verdict.violations.slice(0, 3).join('; '));
      return;
    }
    const bounds = goodputBounds(this.config, this.tags.plan ?? '', this.start.mode);
    const metEveryLatencySla = (bounds.response === undefined || elapsed < bounds.response)
      && (bounds.ttft === undefined || (this.firstDeltaMs >= 0 && this.firstDeltaMs < bounds.ttft));
    recordCompletion(last.usage, elapsed, metEveryLatencySla, this.tags);
    this.resolve({
      requestId: this.start.requestId, runId: this.tracker.runId, threadId: this.tracker.threadId, mode: this.start.mode,
      events: this.events, usage: last.usage, responseMs: elapsed,
    });
  }

  /** No terminal event in time: counted at the timeout in its latency metric, so silence never improves p95. */
  private timeout(): void {
    if (!this.end()) return;
    recordTimeout(this.start.mode, Date.now() - this.sentAt, this.tags);
    recordError('timeout', this.tags);
    this.fail('timeout', `no terminal event within ${this.config.runTimeoutMs} ms (${this.events.length} events)`);
  }

  private fail(reason: string, message: string): void {
    report(`agent run failed (${reason}): ${message}`);
    this.resolve(undefined);
  }

  /** Marks the run settled; false when it already was. */
  private end(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    this.done();
    return true;
  }
}

/**
 * k6/websockets as it is: subprotocols as the second argument (@types/k6 still types it as null), the selected
 * one as `protocol`, and a close event with its code (@types/k6 types onclose without an argument).
 */
type Socket = Omit<WebSocket, 'onclose'> & { readonly protocol: string; onclose: (event: { code?: number }) => void };
type SocketConstructor = new (url: string, protocols: string[] | null, params: Params) => Socket;

interface SocketHandshake {
  /** Subprotocols to offer, or null for none. */
  protocols: string[] | null;
  headers: Record<string, string>;
  /** The query parameter that carries the token, in TOKEN_MODE=query. */
  query: string | undefined;
}

/** How a token travels in the WebSocket handshake: a Bearer header, the dialect's subprotocols, or a query parameter. */
function handshakeFor(dialect: Dialect, token: string | undefined, mode: TokenMode): SocketHandshake {
  if (token === undefined) return { protocols: null, headers: {}, query: undefined };
  if (mode === 'subprotocol') return { protocols: dialect.tokenSubprotocols(token), headers: {}, query: undefined };
  if (mode === 'query') return { protocols: null, headers: {}, query: `${dialect.tokenQueryParam}=${encodeURIComponent(token)}` };
  return { protocols: null, headers: { Authorization: `Bearer ${token}` }, query: undefined };
}

/** The URL to dial: WS_URL, with the token's query parameter in TOKEN_MODE=query. */
const socketUrl = (wsUrl: string, query: string | undefined): string => (query === undefined ? wsUrl : `${wsUrl}${wsUrl.includes('?') ? '&' : '?'}${query}`);

/** An error text with the token taken out, so no log line ever carries it. */
const redact = (text: string, token: string | undefined): string => (token ? text.split(token).join('<token>').split(encodeURIComponent(token)).join('<token>') : text);

/** How opening a session ended: the session, or why the backend (or the network) refused it. */
export type Opened = { session: AgentSession; refused?: undefined } | { session?: undefined; refused: string };

/**
 * One authenticated WebSocket to the agent backend, in the configured dialect. `open()` resolves
 * once the dialect's ready frame arrived; `run()` sends one user message and resolves with the
 * run. Latency is taken from k6's receive times (MessageEvent.timestamp), so a busy VU event loop
 * does not inflate it. The handlers are the socket's on* properties: k6 calls those directly,
 * where an addEventListener listener goes through reflection on every frame.
 */
export class AgentSession implements Session {
  readonly closed: Promise<number | undefined>;
  /** The subprotocol the server selected ('' for none). */
  protocol = '';
  private readonly socket: Socket;
  private readonly tags: Record<string, string>;
  private active: RunInFlight | undefined;
  private established = false;
  private closeCode: number | undefined;
  private settleOpen!: (opened: Opened) => void;
  private readonly opened: Promise<Opened>;

  private constructor(private readonly config: Config, token: string | undefined, plan: string, tokenMode: TokenMode) {
    this.tags = benchOff['plan-tags'] ? {} : { plan };
    this.opened = new Promise((resolve) => (this.settleOpen = resolve));
    let markClosed!: (code: number | undefined) => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));

    const handshake = handshakeFor(config.dialect, token, tokenMode);
    const startedAt = Date.now();
    const name = `WS ${config.paths.ws}`;
    const Socket = WebSocket as unknown as SocketConstructor;
    // The name tag also becomes k6's url tag, so a token in the query string never reaches a metric.
    const socketTags = { ...this.tags, name };
    const socket = (this.socket = new Socket(socketUrl(config.wsUrl, handshake.query), handshake.protocols, { headers: handshake.headers, tags: socketTags }));
    const guard = setTimeout(() => socket.close(), config.runTimeoutMs);

    let lastError = 'closed before the session was ready';
    let opened = false;
    socket.onopen = () => {
      opened = true;
      recordReachable();
      this.protocol = socket.protocol;
      if (config.dialect.readyAtOpen) this.markReady(guard);
      recordSessionOpened(Date.now() - startedAt, socketTags);
      const rule = config.dialect.selectedProtocolRule;
      if (rule && (this.protocol !== '' || tokenMode === 'subprotocol')) check(this.protocol, { [rule.name]: (p) => rule.ok(p, handshake.protocols) });
    };
    socket.onerror = (event) => {
      lastError = redact((event as { error?: string }).error ?? 'error', token);
    };
    socket.onmessage = (event) => this.onMessage(event as { data: unknown; timestamp: number }, guard);
    socket.onclose = (event) => {
      const code = event.code;
      this.closeCode = code;
      recordSessionClosed(code);
      if (!this.established) {
        clearTimeout(guard);
        const kind = opened ? undefined : socketErrorKind(lastError);
        if (kind) recordError(kind, this.tags);
        this.settleOpen({ refused: lastError });
      }
      if (this.active) {
        recordError(`ws_close_${code ?? 1006}`, this.tags);
        this.active.cut(`socket closed (code ${code ?? 'none'})`);
      }
      markClosed(code);
    };
  }

  /** Opens a session with the token in the configured form: the session, or why it was refused. */
  static open(config: Config, token: string | undefined, plan: string, tokenMode: TokenMode = config.tokenMode): Promise<Opened> {
    return new AgentSession(config, token, plan, tokenMode).opened;
  }

  /** Sends one user message; one run at a time per session. */
  run(request: RunRequest): Promise<RunResult | undefined> {
    if (this.active) return Promise.reject(new Error('a run is already in flight on this session'));
    if (this.closeCode !== undefined || !this.established) {
      report('agent run failed (closed): the session is not open');
      return Promise.resolve(undefined);
    }
    const start = runStart(request);
    const run = new RunInFlight(this.config, start, this.tags, () => {
      if (this.active === run) this.active = undefined;
    });
    this.active = run;
    for (const frame of this.config.dialect.userMessage(start)) this.socket.send(frame);
    return run.result;
  }

  /** Closes normally (1000) and resolves with the close code seen. */
  close(): Promise<number | undefined> {
    if (this.closeCode === undefined) this.socket.close(1000);
    return this.closed;
  }

  private markReady(guard: TimeoutID): void {
    clearTimeout(guard);
    this.established = true;
    this.settleOpen({ session: this });
  }

  private onMessage(message: { data: unknown; timestamp: number }, guard: TimeoutID): void {
    const frame = parseFrame(message.data);
    if (frame === undefined) {
      this.active?.notJson();
      return;
    }
    if (this.established) {
      this.active?.frame(frame, message.timestamp);
      return;
    }
    const state = this.config.dialect.sessionFrame(frame);
    if (state === 'ready') this.markReady(guard);
    else if (state === 'refused') {
      clearTimeout(guard);
      this.settleOpen({ refused: `the backend refused the token (${String(frame.type)} frame)` });
    }
  }
}

/**
 * The user's session with a valid token; a refusal is a failed check (and undefined), never silence.
 * AG-UI over HTTP has no session: each run is its own authenticated stream.
 */
export async function openUserSession(user: SessionUser, tokenMode: TokenMode = user.config.tokenMode): Promise<Session | undefined> {
  const config = user.config;
  if (config.dialect.streamsOverHttp && config.agUiTransport === 'sse') {
    // Loaded on first use, as the dialects are: only AG-UI over HTTP needs it.
    const { SseSession } = require('./sse-session.ts') as typeof import('./sse-session.ts');
    return new SseSession(config, await user.accessToken(), user.plan);
  }
  const { session, refused } = await AgentSession.open(config, await user.accessToken(), user.plan, tokenMode);
  if (refused !== undefined) {
    report(`WebSocket session refused: ${refused}`);
    recordRunNotStarted({ plan: user.plan });
  }
  if (!benchOff.checks) check(session, sessionOpenCheck(tokenMode), { plan: user.plan });
  return session;
}

const sessionOpenChecks: Partial<Record<TokenMode, Record<string, (session: Session | undefined) => boolean>>> = {};

/** The check object per token form, built once: sessions are many. */
const sessionOpenCheck = (tokenMode: TokenMode) =>
  (sessionOpenChecks[tokenMode] ??= { [`a valid token opens a session (${tokenMode})`]: (session) => session !== undefined });
