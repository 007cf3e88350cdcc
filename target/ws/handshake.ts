import type { IncomingMessage } from "node:http";
import { WS_AUTH_SUBPROTOCOL, WS_TOKEN_SUBPROTOCOL_PREFIX } from "../../lib/protocol/index.ts";
import { bearer } from "../auth/tokens.ts";

/** The token from `Authorization: Bearer` or from the `jwt-auth, jwt.<token>` subprotocol pair. */
export function handshakeToken(req: IncomingMessage): string | undefined {
  const fromHeader = bearer(req.headers.authorization);
  if (fromHeader) return fromHeader;
  const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  if (!offered.includes(WS_AUTH_SUBPROTOCOL)) return undefined;
  const carrier = offered.find((p) => p.startsWith(WS_TOKEN_SUBPROTOCOL_PREFIX));
  return carrier ? carrier.slice(WS_TOKEN_SUBPROTOCOL_PREFIX.length) : undefined;
}

/** Selects `jwt-auth` and never the token-carrying subprotocol. */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(WS_AUTH_SUBPROTOCOL) ? WS_AUTH_SUBPROTOCOL : false;
}
