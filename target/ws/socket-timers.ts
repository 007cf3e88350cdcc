import { setMaxListeners } from "node:events";
import type { WebSocket } from "ws";
import { CLOSE_IDLE_TIMEOUT, CLOSE_TOKEN_EXPIRED } from "../../lib/protocol/index.ts";
import type { TargetContext } from "../context.ts";

/** The garbled-frame fault's message: text that no JSON parser accepts. */
export function sendGarbled(socket: WebSocket): void {
  if (socket.readyState === socket.OPEN) socket.send("{garbled");
}

/**
 * What every session socket has, in every dialect: closed with 4408 when idle with no run in flight,
 * with 4401 when its token expires, and counted in the live socket count while open. `gone` is aborted
 * when it closes, for its runs to notice.
 */
export function watchSocket(
  ctx: TargetContext, socket: WebSocket, tokenExp: number,
): { touch(): void; runStarted(): void; runEnded(): void; gone: AbortSignal } {
  let activeRuns = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (activeRuns > 0) touch();
      else socket.close(CLOSE_IDLE_TIMEOUT, "idle timeout");
    }, ctx.options.idleTimeoutMs);
  };
  const expiryTimer = setTimeout(
    () => socket.close(CLOSE_TOKEN_EXPIRED, "token expired"),
    Math.max(0, Math.min(tokenExp * 1000 - Date.now(), 2 ** 31 - 1)),
  );
  const gone = new AbortController();
  // Every run in flight on the socket listens, and a plan may allow thousands.
  setMaxListeners(0, gone.signal);
  ctx.live.sockets++;
  socket.on("close", () => {
    gone.abort();
    ctx.live.sockets--;
    clearTimeout(idleTimer);
    clearTimeout(expiryTimer);
  });
  socket.on("error", () => {});
  return { touch, runStarted: () => void activeRuns++, runEnded: () => void activeRuns--, gone: gone.signal };
}
