import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { defaultOptions, type TargetOptions } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import { createTokenService } from "./auth/tokens.ts";
import type { TargetContext } from "./context.ts";
import { route } from "./http/router.ts";
import { createGateway } from "./ws/gateway.ts";
import { RunLimiter } from "./ws/run-limits.ts";
import { AgentSlots } from "./agents/agent-slots.ts";
import { dialectByName } from "./dialects/registry.ts";
import type { DialectName } from "./dialects/types.ts";

export interface RunningTarget {
  url: string;
  port: number;
  dbKind: "pglite" | "postgres";
  dialect: DialectName;
  /** Live view of the active faults. */
  faults(): string[];
  close(): Promise<void>;
}

/** Starts the reference target: HTTP auth/billing/admin plus the WebSocket gateway, bound to options.host. */
export async function startTarget(partial: Partial<TargetOptions> = {}): Promise<RunningTarget> {
  const options: TargetOptions = { ...defaultOptions(), ...partial };
  const holder: { ctx?: TargetContext } = {};
  const db = await openDatabase({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    guard: () => {
      if (holder.ctx?.faults.dbDown) throw new Error("db-down fault");
    },
  });
  const tokens = await createTokenService(options.jwtAlg, options.accessTtlS, options.jwtSecret);
  const ctx: TargetContext = {
    options, faults: options.faults, dialect: dialectByName(options.dialect), db, tokens, runs: new RunLimiter(options.runLimits), live: { sockets: 0 },
    slots: options.capacity ? new AgentSlots(options.capacity) : undefined,
  };
  holder.ctx = ctx;
  const gateway = createGateway(ctx);
  const server = createServer((req, res) => void route(ctx, req, res));
  server.on("upgrade", gateway.onUpgrade);
  // A malformed HTTP request gets a 400 and the connection is closed; the server carries on.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A deep accept queue, so a ramp of thousands of handshakes is queued, not refused (the kernel caps it at somaxconn).
    server.listen({ port: options.port, host: options.host, backlog: 4096 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    dbKind: db.kind,
    dialect: options.dialect,
    faults: () => ctx.faults.active,
    async close() {
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
