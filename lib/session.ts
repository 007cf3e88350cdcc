import { check } from 'k6';
import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket, type Params } from 'k6/websockets';
import type { SessionUser } from './auth.ts';
import { benchOff } from './bench-switches.ts';
import type { Config, TokenMode } from './config.ts';
import { handshakeFor, type Frame } from './dialects/dialect.ts';
import { authDuration, wsCloseCodes } from './metrics.ts';
import { recordError, recordReachable, socketErrorKind } from './availability.ts';
import { recordRunNotStarted } from './run-record.ts';
import { RunFailure, RunInFlight, runStart, type RunRequest, type RunResult, type Session } from './run-in-flight.ts';

declare function require(name: string): unknown;

export { RunFailure, type RunRequest, type RunResult, type Session };

/** The WebSocket handshake did not produce a session (refused token, server down, no ready frame). */
export class SessionRefused extends Error {
  constructor(readonly detail: string) {
    super(`WebSocket session refused: ${detail}`);
    this.name = 'SessionRefused';
  }
}

/** k6/websockets takes subprotocols as its second argument; @types/k6 still types it as null. */
type SocketConstructor = new (url: string, protocols: string[] | null, params: Params) => WebSocket & { readonly protocol: string };

/** The URL to dial: WS_URL, with the token's query parameter in TOKEN_MODE=query. */
const socketUrl = (wsUrl: string, query: string | undefined): string => (query === undefined ? wsUrl : `${wsUrl}${wsUrl.includes('?') ? '&' : '?'}${query}`);

/** An error text with the token taken out, so no log line ever carries it. */
const redact = (text: string, token: string | undefined): string => (token ? text.split(token).join('<token>').split(encodeURIComponent(token)).join('<token>') : text);

/**
 * One authenticated WebSocket to the agent backend, in the configured dialect. `open()` resolves
 * once the dialect's ready frame arrived; `run()` sends one user message and resolves with the
 * run, or rejects with a RunFailure. Latency is taken from k6's receive times
 * (MessageEvent.timestamp), so a busy VU event loop does not inflate it.
 */
export class AgentSession implements Session {
  readonly closed: Promise<number | undefined>;
  /** The subprotocol the server selected ('' for none). */
  protocol = '';
  private readonly socket: WebSocket & { readonly protocol: string };
  private readonly tags: Record<string, string>;
  private active: RunInFlight | undefined;
  private established = false;
  private closeCode: number | undefined;
  private ready!: { resolve: (session: AgentSession) => void; reject: (error: SessionRefused) => void };
  private readonly opened: Promise<AgentSession>;

  private constructor(private readonly config: Config, token: string | undefined, plan: string, tokenMode: TokenMode) {
    this.tags = benchOff['plan-tags'] ? {} : { plan };
    this.opened = new Promise((resolve, reject) => (this.ready = { resolve, reject }));
    let markClosed!: (code: number | undefined) => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));

    const handshake = handshakeFor(config.dialect, token, tokenMode);
    const startedAt = Date.now();
    const name = `WS ${config.paths.ws}`;
    const Socket = WebSocket as unknown as SocketConstructor;
    // The name tag also becomes k6's url tag, so a token in the query string never reaches a metric.
    this.socket = new Socket(socketUrl(config.wsUrl, handshake.query), handshake.protocols, { headers: handshake.headers, tags: { ...this.tags, name } });

    let lastError = 'closed before the session was ready';
    let opened = false;
    this.socket.addEventListener('open', () => {
      opened = true;
      recordReachable();
      this.protocol = this.socket.protocol;
      if (config.dialect.readyAtOpen) this.markReady();
      authDuration.add(Date.now() - startedAt, { ...this.tags, name });
      const rule = config.dialect.selectedProtocolRule;
      if (rule && (this.protocol !== '' || tokenMode === 'subprotocol')) check(this.protocol, { [rule.name]: (p) => rule.ok(p, handshake.protocols) });
    });
    this.socket.addEventListener('error', (event) => {
      lastError = redact((event as { error?: string }).error ?? 'error', token);
    });
    this.socket.addEventListener('message', (event) => this.onMessage(event as { data: unknown; timestamp: number }));
    this.socket.addEventListener('close', (event) => {
      const code = (event as { code?: number }).code;
      this.closeCode = code;
      wsCloseCodes.add(1, { close_code: code === undefined ? 'none' : String(code) });
      if (!this.established) {
        const kind = opened ? undefined : socketErrorKind(lastError);
        if (kind) recordError(kind, this.tags);
        this.ready.reject(new SessionRefused(lastError));
      }
      if (this.active) {
        recordError(`ws_close_${code ?? 1006}`, this.tags);
        this.active.cut(`socket closed (code ${code ?? 'none'})`, code);
      }
      markClosed(code);
    });
  }

  /** Opens a session with the token in the configured form; rejects with SessionRefused. */
  static open(config: Config, token: string | undefined, plan: string, tokenMode: TokenMode = config.tokenMode): Promise<AgentSession> {
    const session = new AgentSession(config, token, plan, tokenMode);
    const guard = setTimeout(() => session.socket.close(), config.runTimeoutMs);
    const done = (): void => clearTimeout(guard);
    return session.opened.then(
      (opened) => {
        done();
        return opened;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  /** Sends one user message; one run at a time per session. */
  run(request: RunRequest): Promise<RunResult> {
    if (this.active) return Promise.reject(new Error('a run is already in flight on this session'));
    if (this.closeCode !== undefined || !this.established) {
      return Promise.reject(new RunFailure('closed', 'the session is not open', [], [], this.closeCode));
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

  private markReady(): void {
    this.established = true;
    this.ready.resolve(this);
  }

  private onMessage(message: { data: unknown; timestamp: number }): void {
    let frame: Frame;
    try {
      frame = JSON.parse(String(message.data)) as Frame;
      if (typeof frame !== 'object' || frame === null) throw new Error('not an object');
    } catch {
      this.active?.notJson();
      return;
    }
    if (!this.established) {
      const state = this.config.dialect.sessionFrame(frame);
      if (state === 'ready') this.markReady();
      else if (state === 'refused') this.ready.reject(new SessionRefused(`the backend refused the token (${String(frame.type)} frame)`));
      return;
    }
    this.active?.frame(frame, message.timestamp);
  }
}

let reported = 0;

/**
 * Awaits a run or a session, turning its typed failure into undefined: the metrics already
 * counted it, so the iteration goes on. The first few failures per VU are logged (never a token);
 * any other error is a bug and is thrown.
 */
export async function unlessFailed<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof RunFailure || error instanceof SessionRefused)) throw error;
    if (reported++ < 3) console.warn(error.message);
    return undefined;
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
    return new SseSession(config, user.accessToken(), user.plan);
  }
  const session = await unlessFailed(AgentSession.open(config, user.accessToken(), user.plan, tokenMode));
  if (!session) recordRunNotStarted({ plan: user.plan });
  if (!benchOff.checks) check(session, { [`a valid token opens a session (${tokenMode})`]: (s) => s !== undefined }, { plan: user.plan });
  return session;
}
