/**
 * The one seam between agent-sla and a backend's wire protocol. Everything protocol-specific
 * (auth routes and bodies, where the token travels, what marks a session ready, how a user
 * message is encoded, how frames decode into the shared lifecycle, which frames belong to a
 * run, and which well-formedness rules apply) is here; the session, the metrics, the SLAs and
 * the summaries only see the lifecycle. Pure: no k6 and no Node imports.
 */
import type { LifecycleEvent, LifecycleKind, RunValidation, Usage } from './lifecycle.ts';

export type RunMode = 'single' | 'orchestration';
export type TokenMode = 'header' | 'subprotocol' | 'query';
export type AuthMode = 'signup' | 'login' | 'token' | 'none';

/** A parsed server frame: any JSON value the backend sent. */
export type Frame = Record<string, unknown>;

export interface AuthPaths {
  signup: string;
  login: string;
  refresh: string;
  me: string;
}

/** Tokens as a login (or a register that already logs in) returns them. */
export interface IssuedTokens {
  access: string;
  /** Absent when the backend issues none: the user logs in again instead of refreshing. */
  refresh?: string;
  /** Absent when the backend does not say: the token is used until the backend refuses it. */
  expiresInS?: number;
}

export interface RunStart {
  requestId: string;
  content: string;
  mode: RunMode;
  threadId?: string;
}

/** One run's decoder and validator, fed frame by frame. */
export interface RunTracker {
  /** The frame as a lifecycle event, or undefined when it is not part of this run (or is ignorable). */
  accept(frame: Frame): LifecycleEvent | undefined;
  /** The verdict, once the run ended (or was cut off). */
  finish(): RunValidation;
  /** Ids the run's frames carried, for billing and for continuing the thread. */
  readonly runId: string;
  readonly threadId: string | undefined;
}

export interface Dialect {
  readonly name: string;
  /** Agents nest inside a run, so the orchestration SLA can be measured. */
  readonly nestedAgents: boolean;
  /** The backend serves agent-sla's billing API, so billing is reconciled without extra configuration. */
  readonly billing: boolean;
  readonly defaultAuthMode: AuthMode;
  readonly defaultPaths: AuthPaths & { ws: string };
  /** Whether GET PATH_HEALTH must name agent-sla's contract (only the native dialect asks). */
  readonly healthContract: boolean;
  /** No frame marks the session ready: the socket is, once open (AG-UI). */
  readonly readyAtOpen?: boolean;
  /** Runs can also travel as an HTTP POST answered with Server-Sent Events (AG-UI; AG_UI_TRANSPORT). */
  readonly streamsOverHttp?: boolean;

  signupBody(credentials: { email: string; password: string; plan: string }): Record<string, unknown>;
  /** The signup was accepted; `body` is the parsed JSON, if any. */
  signupAccepted(status: number, body: Frame | undefined, plan: string): boolean;
  /** The name of the check signupAccepted feeds. */
  readonly signupCheck: string;
  /** Tokens in a login, refresh or signup response body; undefined when there are none. */
  tokensFrom(body: Frame | undefined): IssuedTokens | undefined;

  /** The subprotocols that carry a token in TOKEN_MODE=subprotocol. */
  tokenSubprotocols(token: string): string[];
  /** The query parameter that carries a token in TOKEN_MODE=query. */
  readonly tokenQueryParam: string;
  /** A check on the subprotocol the server selected, when the dialect has a rule about it. */
  readonly selectedProtocolRule?: { name: string; ok(selected: string, offered: string[] | null): boolean };
  /** 'ready' marks the session open; 'refused' is an auth refusal sent as a frame (the socket then closes). */
  sessionFrame(frame: Frame): 'ready' | 'refused' | undefined;

  /** The frames one user message sends, in order. */
  userMessage(run: RunStart): string[];
  startRun(run: RunStart): RunTracker;
  /** Lifecycle kinds a healthy run of agent-events must show, with the check's name. */
  readonly lifecycleCheck: { name: string; kinds: readonly LifecycleKind[] };
}

/** Reads `name` from the frame's top level, then its `payload`, then its `data` (the envelope's three homes). */
export function field(frame: Frame, name: string): unknown {
  const top = frame[name];
  if (top !== undefined) return top;
  const payload = frame.payload;
  if (typeof payload === 'object' && payload !== null) {
    const value = (payload as Frame)[name];
    if (value !== undefined) return value;
  }
  const data = frame.data;
  if (typeof data === 'object' && data !== null) return (data as Frame)[name];
  return undefined;
}

export const asString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Login-style token fields (`access_token`, `refresh_token?`, `expires_in?`), at the top level or under `data` / `tokens`. */
export function bearerTokens(body: Frame | undefined): IssuedTokens | undefined {
  if (!body) return undefined;
  const holder = [body, body.data, body.tokens].find((candidate) => typeof (candidate as Frame | undefined)?.access_token === 'string') as Frame | undefined;
  const access = asString(holder?.access_token);
  if (!holder || !access) return undefined;
  const tokens: IssuedTokens = { access };
  const refresh = asString(holder.refresh_token);
  if (refresh) tokens.refresh = refresh;
  const expires = Number(holder.expires_in);
  if (expires > 0) tokens.expiresInS = expires;
  return tokens;
}

/** Usage with the two counts the library reports, from any object that has them. */
export function usageFrom(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const input = Number((value as Frame).input_tokens);
  const output = Number((value as Frame).output_tokens);
  return Number.isFinite(input) && Number.isFinite(output) ? { input_tokens: input, output_tokens: output } : undefined;
}
