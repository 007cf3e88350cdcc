import { CONTRACT_VERSION, DEFAULT_PATHS } from "../../lib/protocol/index.ts";
import { handshakeToken, selectProtocol } from "../ws/handshake.ts";
import { startSession } from "../ws/session.ts";
import { agUiDialect } from "./ag-ui.ts";
import { envelopeDialect } from "./envelope.ts";
import { openaiRealtimeDialect } from "./openai-realtime.ts";
import type { DialectName, RefusalStyle, TargetDialect } from "./types.ts";

/** PROTOCOL.md, the default: the contract's own handshake and session, unchanged. */
const agentSlaDialect: TargetDialect = {
  name: "agent-sla",
  contract: CONTRACT_VERSION,
  wsPaths: [DEFAULT_PATHS.ws],
  routes: {},
  handshakeToken,
  selectProtocol,
  startSession: (ctx, socket, user) => startSession(ctx, socket, user),
};

const DIALECTS: Record<DialectName, TargetDialect> = {
  "agent-sla": agentSlaDialect,
  envelope: envelopeDialect,
  "openai-realtime": openaiRealtimeDialect,
  "ag-ui": agUiDialect,
};

export function dialectByName(name: DialectName): TargetDialect {
  return DIALECTS[name];
}

/**
 * Per refused handshake: undefined for HTTP 401, or the frames to send after
 * the upgrade before close 1008. "alternate" starts with HTTP.
 */
export function tokenRefusal(dialect: TargetDialect, configured: RefusalStyle | undefined): () => object[] | undefined {
  const refusal = dialect.socketRefusal;
  const style = refusal ? (configured ?? refusal.byDefault) : "http";
  let refused = 0;
  return () => {
    const onSocket = style === "frame" || (style === "alternate" && refused++ % 2 === 1);
    return onSocket ? refusal!.frames() : undefined;
  };
}
