import type { IncomingMessage } from "node:http";
import { EventType, type BaseEvent, type RunErrorEvent } from "@ag-ui/core";
import { EventEncoder } from "@ag-ui/encoder";
import type { TargetContext } from "../context.ts";
import { tokenFromHeaderSubprotocolOrQuery } from "../ws/handshake.ts";
import { ACCOUNT_ROUTES } from "./account-routes.ts";
import { agUiRunEncoder } from "./ag-ui-encoder.ts";
import { parseRunAgentInput } from "./ag-ui-input.ts";
import { serveAgentRun } from "./ag-ui-sse.ts";
import { startDialectSession } from "./dialect-session.ts";
import type { ClientAction, SessionCodec, TargetDialect } from "./types.ts";

const SUBPROTOCOL = "ag-ui";
const TOKEN_SUBPROTOCOL_PREFIX = "bearer.";

/** `Authorization: Bearer`, the subprotocol `bearer.<token>` (offered with `ag-ui`), or `?token=`. AG-UI itself defines no socket auth. */
const handshakeToken = (req: IncomingMessage): string | undefined => tokenFromHeaderSubprotocolOrQuery(req, TOKEN_SUBPROTOCOL_PREFIX, "token");

const invalid = (message: string): ClientAction => ({
  kind: "invalid",
  frames: [{ type: EventType.RUN_ERROR, message, code: "INVALID_INPUT" } satisfies RunErrorEvent],
});

/**
 * AG-UI over WebSocket: the same events as the SSE response, one per text frame, each the
 * JSON the official EventEncoder writes. There is no ready frame: the socket is ready at
 * open. A text frame holding a RunAgentInput starts a run; anything else gets RUN_ERROR
 * (code INVALID_INPUT) and close 1008.
 */
function agUiCodec(ctx: TargetContext): SessionCodec {
  const encoder = new EventEncoder({ accept: "text/event-stream" });
  return {
    hello: () => [],
    receive(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return invalid("not JSON");
      }
      const parsed = parseRunAgentInput(value);
      return parsed.ok ? parsed.action : invalid(parsed.message);
    },
    runEncoder: (wire) => agUiRunEncoder(wire, { toolCallsMayStayOpen: () => ctx.faults.dropToolCompleted }),
    // The SSE framing is `data: <json>\n\n`; a socket frame carries the JSON alone.
    serialize: (frame) => encoder.encodeSSE(frame as BaseEvent).slice("data: ".length, -2),
  };
}

/** DIALECTS.md §3: AG-UI, as SSE on POST / (and /agent) and as WebSocket text frames on /ws (and /agent/ws). */
export const agUiDialect: TargetDialect = {
  name: "ag-ui",
  contract: "ag-ui",
  wsPaths: ["/ws", "/agent/ws"],
  routes: { ...ACCOUNT_ROUTES, "POST /": serveAgentRun, "POST /agent": serveAgentRun },
  handshakeToken,
  selectProtocol: (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  startSession: (ctx, socket, user) => startDialectSession(ctx, socket, user, agUiCodec(ctx)),
};
