import type { IncomingMessage } from "node:http";
import { tokenFromHeaderSubprotocolOrQuery } from "../ws/handshake.ts";
import { ACCOUNT_ROUTES } from "./account-routes.ts";
import { startDialectSession } from "./dialect-session.ts";
import { realtimeId, realtimeRunEncoder } from "./realtime-encoder.ts";
import type { ClientAction, SessionCodec, TargetDialect } from "./types.ts";

const KEY_SUBPROTOCOL_PREFIX = "openai-insecure-api-key.";
const DEFAULT_MODEL = "gpt-realtime";

/**
 * `Authorization: Bearer <key>`, the subprotocols `realtime, openai-insecure-api-key.<key>`,
 * or `?api_key=<key>` (not OpenAI's; for a client that can set neither). The key is an access token.
 */
const handshakeToken = (req: IncomingMessage): string | undefined => tokenFromHeaderSubprotocolOrQuery(req, KEY_SUBPROTOCOL_PREFIX, "api_key");

const selectProtocol = (offered: Set<string>): string | false => (offered.has("realtime") ? "realtime" : false);

function invalidRequest(code: string, message: string): object {
  return { type: "error", event_id: realtimeId("event_", Math.random), error: { type: "invalid_request_error", code, message, param: null, event_id: null } };
}

function userText(item: unknown): string | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const { type, role, content } = item as Record<string, unknown>;
  if (type !== "message" || role !== "user" || !Array.isArray(content)) return undefined;
  let text = "";
  for (const part of content as unknown[]) {
    const { type: partType, text: partText } = (part ?? {}) as Record<string, unknown>;
    if (partType === "input_text" && typeof partText === "string") text += partText;
  }
  return text.length <= 16_384 && !text.includes("\u0000") ? text : undefined;
}

let sessions = 0;

/**
 * `conversation.item.create` is acknowledged at once (as `conversation.item.added`
 * and `.done`, or, every other session, the beta `conversation.item.created`) and
 * its text waits; `response.create` runs the agents on the waiting text
 * (`response.metadata.mode: "orchestration"` asks for the pipeline, flattened).
 * `session.update` is answered; other client events are ignored.
 */
function realtimeCodec(model: string): SessionCodec {
  const beta = sessions++ % 2 === 1;
  const tag = realtimeId("", Math.random).slice(0, 8);
  let events = 0;
  const eventId = (): string => `event_${tag}${(++events).toString(36)}`;
  const pending: string[] = [];
  let previousItemId: string | null = null;
  const session = (id: string) => ({ id, object: "realtime.session", model, output_modalities: ["text"], tools: [] });
  let sessionId = "";

  function receive(text: string): ClientAction {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
      if (typeof message !== "object" || message === null || Array.isArray(message)) throw new Error("not an object");
    } catch {
      return { kind: "invalid", frames: [invalidRequest("invalid_json", "the event is not a JSON object")] };
    }
    switch (message.type) {
      case "conversation.item.create": {
        const content = userText(message.item);
        if (content === undefined) return { kind: "reply", frames: [invalidRequest("invalid_item", "only user messages of input_text are accepted")] };
        const given = (message.item as Record<string, unknown>).id;
        const id = typeof given === "string" && given.length > 0 && given.length <= 64 ? given : realtimeId("item_", Math.random);
        const item = { id, object: "realtime.item", type: "message", status: "completed", role: "user", content: [{ type: "input_text", text: content }] };
        const ack = { previous_item_id: previousItemId, item };
        previousItemId = id;
        pending.push(content);
        const frames = beta
          ? [{ type: "conversation.item.created", event_id: eventId(), ...ack }]
          : [{ type: "conversation.item.added", event_id: eventId(), ...ack }, { type: "conversation.item.done", event_id: eventId(), ...ack }];
        return { kind: "reply", frames };
      }
      case "response.create": {
        const options = (message.response ?? {}) as { metadata?: { mode?: unknown } };
        const mode = options.metadata?.mode === "orchestration" ? "orchestration" : "single";
        return { kind: "run", content: pending.splice(0).join("\n"), mode };
      }
      case "session.update":
        return { kind: "reply", frames: [{ type: "session.updated", event_id: eventId(), session: session(sessionId) }] };
      default:
        return { kind: "ignore" };
    }
  }

  return {
    hello(id) {
      sessionId = `sess_${id.replaceAll("-", "").slice(0, 22)}`;
      return [{ type: "session.created", event_id: eventId(), session: session(sessionId) }];
    },
    receive,
    runEncoder: (wire) => realtimeRunEncoder(wire, eventId),
  };
}

/** DIALECTS.md §2: the OpenAI Realtime API over WebSocket, text only, at /v1/realtime?model=… (and /ws). */
export const openaiRealtimeDialect: TargetDialect = {
  name: "openai-realtime",
  contract: "openai-realtime",
  wsPaths: ["/v1/realtime", "/ws"],
  routes: ACCOUNT_ROUTES,
  handshakeToken,
  selectProtocol,
  socketRefusal: { frames: () => [invalidRequest("invalid_api_key", "Incorrect API key provided")], byDefault: "http" },
  startSession(ctx, socket, user, req) {
    const model = new URL(req.url ?? "/", "http://target.invalid").searchParams.get("model") || DEFAULT_MODEL;
    startDialectSession(ctx, socket, user, realtimeCodec(model.slice(0, 64)));
  },
};
