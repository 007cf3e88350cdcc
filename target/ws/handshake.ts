import type { IncomingMessage } from "node:http";
import { WS_AUTH_SUBPROTOCOL, WS_TOKEN_SUBPROTOCOL_PREFIX } from "../../lib/protocol/index.ts";
import { bearer } from "../auth/tokens.ts";

/** The subprotocols a handshake offers, in order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
}

/**
 * How the dialects other than the contract take a token: `Authorization: Bearer`, else the offered subprotocol
 * `<subprotocolPrefix><token>`, else the query parameter `queryParam`.
 */
export function tokenFromHeaderSubprotocolOrQuery(req: IncomingMessage, subprotocolPrefix: string, queryParam: string): string | undefined {
  const fromHeader = bearer(req.headers.authorization);
  if (fromHeader) return fromHeader;
  const carrier = offeredProtocols(req).find((p) => p.startsWith(subprotocolPrefix));
  if (carrier && carrier.length > subprotocolPrefix.length) return carrier.slice(subprotocolPrefix.length);
  return new URL(req.url ?? "/", "http://target.invalid").searchParams.get(queryParam) || undefined;
}

/** The token from `Authorization: Bearer` or from the `jwt-auth, jwt.<token>` subprotocol pair. */
export function handshakeToken(req: IncomingMessage): string | undefined {
  const fromHeader = bearer(req.headers.authorization);
  if (fromHeader) return fromHeader;
  const offered = offeredProtocols(req);
  if (!offered.includes(WS_AUTH_SUBPROTOCOL)) return undefined;
  const carrier = offered.find((p) => p.startsWith(WS_TOKEN_SUBPROTOCOL_PREFIX));
  return carrier ? carrier.slice(WS_TOKEN_SUBPROTOCOL_PREFIX.length) : undefined;
}

/** Selects `jwt-auth` and never the token-carrying subprotocol. */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(WS_AUTH_SUBPROTOCOL) ? WS_AUTH_SUBPROTOCOL : false;
}
