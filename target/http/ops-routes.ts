import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CONTRACT_VERSION, type HealthResponse } from "../../lib/protocol/index.ts";
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
    contract: CONTRACT_VERSION, faults: ctx.faults.active,
  };
  sendJson(res, dbOk ? 200 : 503, body);
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Replaces the active faults. Disabled (404) unless TARGET_ADMIN_TOKEN is set. */
export async function setFaults(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const expected = ctx.options.adminToken;
  if (!expected) throw new HttpError(404, "not_found", "admin endpoint is disabled");
  if (!sameSecret(bearer(req.headers.authorization), expected)) throw new HttpError(401, "unauthorized", "admin token required");
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
