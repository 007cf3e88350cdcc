import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebSocket } from "ws";
import type { Plan, RunEvent, RunMode } from "../../lib/protocol/index.ts";
import type { Random } from "../agents/prng.ts";
import type { TargetContext } from "../context.ts";

export const DIALECT_NAMES = ["agent-sla", "envelope", "openai-realtime", "ag-ui"] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** A refused token: HTTP 401 before the upgrade, frames then 1008 after it, or the two in turn. */
export const REFUSAL_STYLES = ["http", "frame", "alternate"] as const;
export type RefusalStyle = (typeof REFUSAL_STYLES)[number];

export type RouteHandler = (ctx: TargetContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface SessionUser { userId: string; plan: Plan; exp: number }

/**
 * One wire protocol of the target. The agents never see it: they emit the
 * contract's run events, and the dialect's session turns them into its frames.
 */
export interface TargetDialect {
  readonly name: DialectName;
  /** What /health reports as `contract`. */
  readonly contract: string;
  /** Paths the WebSocket is served at; the query string is ignored. */
  readonly wsPaths: readonly string[];
  /** HTTP routes added to the contract's, or replacing them, keyed "METHOD /path". */
  readonly routes: Readonly<Record<string, RouteHandler>>;
  handshakeToken(req: IncomingMessage): string | undefined;
  /** The subprotocol the server selects from those offered, or false for none. */
  selectProtocol(offered: Set<string>): string | false;
  /**
   * How a refused token may be answered on the socket instead of HTTP 401: these
   * frames after the upgrade, then close 1008. Absent: HTTP only.
   */
  readonly socketRefusal?: { frames(): object[]; byDefault: RefusalStyle };
  startSession(ctx: TargetContext, socket: WebSocket, user: SessionUser, req: IncomingMessage): void;
}

/** What one client frame asks of a session. */
export type ClientAction =
  | { kind: "run"; content: string; mode: RunMode; threadId?: string; runKey?: string }
  | { kind: "reply"; frames: object[] }
  | { kind: "ignore" }
  /** Answered with these frames, then the socket is closed with 1008. */
  | { kind: "invalid"; frames: object[] };

/** A run as its client sees it. */
export interface WireRun {
  /** The id the client knows the run by: its own, when it sent one, or the server's. */
  runId: string;
  /** Seeded per run, for the variants a dialect mixes in its frames. */
  random: Random;
}

/** Turns one run's contract events, in order, into a dialect's frames. Stateful, one per run. */
export interface RunEncoder {
  encode(event: RunEvent): object[];
}

/** A dialect's half of one socket session; the shared session does the rest (runs, billing, timers). */
export interface SessionCodec {
  /** The frames that make the session ready. */
  hello(sessionId: string, userId: string): object[];
  receive(text: string): ClientAction;
  runEncoder(run: WireRun): RunEncoder;
  /** How a frame becomes a text message; JSON.stringify when absent. */
  serialize?(frame: object): string;
}
