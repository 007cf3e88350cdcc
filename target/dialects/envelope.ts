import type { IncomingMessage } from "node:http";
import { WS_AUTH_SUBPROTOCOL, WS_TOKEN_SUBPROTOCOL_PREFIX, type RunMode } from "../../lib/protocol/index.ts";
import { tokenFromHeaderSubprotocolOrQuery } from "../ws/handshake.ts";
import { ACCOUNT_ROUTES } from "./account-routes.ts";
import { startDialectSession } from "./dialect-session.ts";
import { envelopeFrame, envelopeRunEncoder, envelopeTimestamp, PLACEMENTS } from "./envelope-encoder.ts";
import type { ClientAction, SessionCodec, TargetDialect } from "./types.ts";
import { coveringPicker } from "./variety.ts";

/** `Authorization: Bearer`, the subprotocol `jwt.<token>` (with or without `jwt-auth`), or `?token=`. */
const handshakeToken = (req: IncomingMessage): string | undefined => tokenFromHeaderSubprotocolOrQuery(req, WS_TOKEN_SUBPROTOCOL_PREFIX, "token");

/** `jwt-auth` when offered; otherwise the token-bearing subprotocol is echoed back, as the spec allows. */
function selectProtocol(offered: Set<string>): string | false {
  if (offered.has(WS_AUTH_SUBPROTOCOL)) return WS_AUTH_SUBPROTOCOL;
  for (const protocol of offered) if (protocol.startsWith(WS_TOKEN_SUBPROTOCOL_PREFIX)) return protocol;
  return false;
}

let sessions = 0;
let refusals = 0;

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function optionalId(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === "string" && value.length > 0 && value.length <= 128 && !value.includes("\u0000"));
}

const invalid = (message: string): ClientAction => ({
  kind: "invalid",
  frames: [{ type: "error_message", data: { error_code: "INVALID_MESSAGE", message } }],
});

/**
 * `{type: "user_message", payload: {content, thread_id?, run_id?}}` starts a run
 * (the fields are also read from `data` or the top level; `mode: "orchestration"`
 * asks for the nested agents); `{type: "ping", timestamp}` gets a pong; other
 * types are ignored.
 */
function receive(text: string, pong: (timestamp: unknown) => object): ClientAction {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid("not JSON");
  }
  const message = objectOrUndefined(value);
  if (!message) return invalid("not a JSON object");
  if (message.type === "ping") return { kind: "reply", frames: [pong(message.timestamp)] };
  if (message.type !== "user_message") return { kind: "ignore" };
  const fields = objectOrUndefined(message.payload) ?? objectOrUndefined(message.data) ?? message;
  const { content, thread_id: threadId, run_id: runKey, mode } = fields;
  if (typeof content !== "string" || content.length > 16_384 || content.includes("\u0000")) return invalid("content must be a string");
  if (!optionalId(threadId) || !optionalId(runKey)) return invalid("thread_id and run_id must be short strings");
  if (mode !== undefined && mode !== "single" && mode !== "orchestration") return invalid("mode must be single or orchestration");
  return {
    kind: "run", content, mode: (mode as RunMode | undefined) ?? "single",
    ...(threadId !== undefined ? { threadId } : {}), ...(runKey !== undefined ? { runKey } : {}),
  };
}

function envelopeCodec(): SessionCodec {
  const wrapped = sessions++ % 2 === 1;
  const placement = coveringPicker(PLACEMENTS, Math.random);
  const clock = coveringPicker(["iso", "epoch"] as const, Math.random);
  return {
    hello(sessionId, userId) {
      const fields = { session_id: sessionId, user_id: userId, timestamp: new Date().toISOString() };
      return [wrapped
        ? { type: "system_message", data: { event: "connection_established", ...fields } }
        : { type: "connection_established", data: fields }];
    },
    // A pong echoes the ping's timestamp as sent, so a client can pair them.
    receive: (text) => receive(text, (timestamp) =>
      envelopeFrame("pong", { timestamp: timestamp ?? envelopeTimestamp(Date.now(), clock()) }, placement())),
    runEncoder: envelopeRunEncoder,
  };
}

/** DIALECTS.md §1: the `{type, payload | data}` envelope over WebSocket. */
export const envelopeDialect: TargetDialect = {
  name: "envelope",
  contract: "envelope",
  wsPaths: ["/ws"],
  routes: ACCOUNT_ROUTES,
  handshakeToken,
  selectProtocol,
  socketRefusal: {
    frames: () => [{ type: refusals++ % 2 === 0 ? "error_message" : "error", data: { error_code: "AUTH_FAILED", message: "invalid or expired token" } }],
    byDefault: "alternate",
  },
  startSession: (ctx, socket, user) => startDialectSession(ctx, socket, user, envelopeCodec()),
};
