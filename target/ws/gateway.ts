import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { CLOSE_POLICY_VIOLATION } from "../../lib/protocol/index.ts";
import { sleep, type TargetContext } from "../context.ts";
import { tokenRefusal } from "../dialects/registry.ts";

function refuse(socket: Duplex, status: string): void {
  if (socket.writable) socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/**
 * `ws` in noServer mode: the token is verified in the HTTP upgrade handler, so a
 * bad token gets 401 and no socket is ever created. Compression is off: it
 * costs memory per socket and CPU per frame, and agent frames are small.
 */
export function createGateway(ctx: TargetContext) {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: ctx.options.maxFrameBytes,
    handleProtocols: ctx.dialect.selectProtocol,
  });
  const refusal = tokenRefusal(ctx.dialect, ctx.options.authRefusal);
  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => {});
    const path = (req.url ?? "").split("?")[0];
    if (!ctx.dialect.wsPaths.includes(path ?? "")) return refuse(socket, "404 Not Found");
    if (ctx.faults.slowAuthMs > 0) await sleep(ctx.faults.slowAuthMs);
    const claims = await ctx.tokens.verify(ctx.dialect.handshakeToken(req));
    if (socket.destroyed) return;
    if (!claims) {
      // Some dialects' backends refuse on the socket: upgrade, say why, close 1008.
      const frames = refusal();
      if (!frames) return refuse(socket, "401 Unauthorized");
      return wss.handleUpgrade(req, socket, head, (ws) => {
        for (const frame of frames) ws.send(JSON.stringify(frame));
        ws.close(CLOSE_POLICY_VIOLATION, "auth failed");
      });
    }
    wss.handleUpgrade(req, socket, head, (ws) => ctx.dialect.startSession(ctx, ws, { userId: claims.sub, plan: claims.plan, exp: claims.exp }, req));
  }
  return {
    onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      onUpgrade(req, socket, head).catch(() => refuse(socket, "500 Internal Server Error"));
    },
    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
