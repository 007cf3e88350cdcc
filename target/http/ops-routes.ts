import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HealthResponse } from "../../lib/protocol/index.ts";
import type { TargetContext } from "../context.ts";
import { parseFaults, FaultSpecError } from "../faults.ts";
import { bearer } from "../auth/tokens.ts";
import { HttpError, readJsonObject, sendJson } from "./respond.ts";

export async function health(ctx: TargetContext, res: ServerResponse): Promise<void> {
  let dbOk = true;
  try {
    await ctx.db.query("SELECT 1");
  } catch {
    dbOk = false;
  }
  const body: HealthResponse = {
    status: dbOk ? "ok" : "degraded", db: dbOk ? "ok" : "down", db_kind: ctx.db.kind,
    contract: ctx.dialect.contract, faults: ctx.faults.active,
  };
  sendJson(res, dbOk ? 200 : 503, body);
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Admin endpoints are disabled (404) unless TARGET_ADMIN_TOKEN is set, and answer 401 without it. */
function requireAdmin(ctx: TargetContext, req: IncomingMessage): void {
  const expected = ctx.options.adminToken;
  if (!expected) throw new HttpError(404, "not_found", "admin endpoint is disabled");
  if (!sameSecret(bearer(req.headers.authorization), expected)) throw new HttpError(401, "unauthorized", "admin token required");
}

/** Replaces the active faults. */
export async function setFaults(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireAdmin(ctx, req);
  const body = await readJsonObject(req, ctx.options.maxBodyBytes);
  if (typeof body.faults !== "string") throw new HttpError(400, "bad_request", "faults must be a string");
  try {
    ctx.faults = parseFaults(body.faults);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new HttpError(400, "bad_fault_spec", error.message);
    throw error;
  }
  sendJson(res, 200, { faults: ctx.faults.active });
}

/**
 * Row counts and live counters, so tests can prove a refused input wrote nothing
 * on either storage kind, and the capacity bench can read sessions held from the server's side;
 * agent_slots shows the capacity knob's slots in use and runs queued (null when the knob is unset).
 */
export async function stats(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireAdmin(ctx, req);
  const { rows } = await ctx.db.query<{ users: number; runs: number; billing_records: number; refresh_tokens: number }>(
    `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM runs)::int AS runs,
            (SELECT count(*) FROM billing_records)::int AS billing_records,
            (SELECT count(*) FROM refresh_tokens)::int AS refresh_tokens`,
  );
  sendJson(res, 200, { rows: rows[0], sockets: ctx.live.sockets, active_runs: ctx.runs.total(), agent_slots: ctx.slots?.stats() ?? null });
}
