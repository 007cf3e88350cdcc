import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_PATHS as P } from "../../lib/protocol/index.ts";
import type { TargetContext } from "../context.ts";
import { login, me, refresh, signup } from "./auth-routes.ts";
import { summary, usage } from "./billing-routes.ts";
import { health, setFaults, stats } from "./ops-routes.ts";
import { HttpError, sendError, sendJson } from "./respond.ts";

/** Target-only admin path (not part of the contract): row counts and live counters. */
export const ADMIN_STATS = "/admin/stats";

type Handler = (ctx: TargetContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const ROUTES: Record<string, Handler> = {
  [`POST ${P.signup}`]: signup,
  [`POST ${P.login}`]: login,
  [`POST ${P.refresh}`]: refresh,
  [`GET ${P.me}`]: me,
  [`GET ${P.billingUsage}`]: usage,
  [`GET ${P.billingSummary}`]: summary,
  [`POST ${P.adminFaults}`]: setFaults,
  [`GET ${ADMIN_STATS}`]: stats,
  [`GET ${P.health}`]: (ctx, _req, res) => health(ctx, res),
};

/** Paths the http-500 fault never touches, so a test can still observe and repair the target. */
const FAULT_FREE = new Set([P.health, P.adminFaults, ADMIN_STATS, P.jwks]);

export async function route(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? "/", "http://target.invalid");
    if (url.pathname === P.jwks && req.method === "GET") {
      const jwks = ctx.tokens.jwks();
      if (!jwks) throw new HttpError(404, "not_found", "JWKS is served only with TARGET_JWT_ALG=RS256");
      sendJson(res, 200, jwks);
      return;
    }
    const key = `${req.method} ${url.pathname}`;
    const handler = ctx.dialect.routes[key] ?? ROUTES[key];
    if (!handler) throw new HttpError(404, "not_found", "no such route");
    if (ctx.faults.http500Rate > 0 && !FAULT_FREE.has(url.pathname) && Math.random() < ctx.faults.http500Rate) {
      throw new HttpError(500, "injected_fault", "http-500 fault");
    }
    await handler(ctx, req, res, url);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) sendError(res, error);
    else if (ctx.faults.dbDown) sendError(res, new HttpError(503, "db_down", "database is unavailable"));
    else sendError(res, new HttpError(500, "internal", "internal error"));
    if (error instanceof HttpError && error.status === 413) req.resume();
  }
}
