import type { IncomingMessage, ServerResponse } from "node:http";
import type { BillingRecord, BillingSummaryResponse, BillingUsageResponse } from "../../lib/protocol/index.ts";
import type { TargetContext } from "../context.ts";
import { authenticate } from "./auth-routes.ts";
import { HttpError, sendJson } from "./respond.ts";

interface RecordRow {
  run_id: string; request_id: string; user_id: string; plan: BillingRecord["plan"];
  input_tokens: number | string; output_tokens: number | string; amount_micros: number | string | bigint; created_at: Date | string;
}

function toRecord(row: RecordRow): BillingRecord {
  return {
    run_id: row.run_id, request_id: row.request_id, user_id: row.user_id, plan: row.plan,
    input_tokens: Number(row.input_tokens), output_tokens: Number(row.output_tokens),
    amount_micros: Number(row.amount_micros), created_at: new Date(row.created_at).toISOString(),
  };
}

/** A user sees only its own records; another user's run_id is 404, as if it did not exist. */
export async function usage(ctx: TargetContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const user = await authenticate(ctx, req);
  const runId = url.searchParams.get("run_id");
  if (runId !== null) {
    if (runId.length === 0 || runId.length > 128 || runId.includes("\u0000")) throw new HttpError(400, "bad_request", "run_id is invalid");
    const owned = await ctx.db.query("SELECT 1 FROM runs WHERE id = $1 AND user_id = $2", [runId, user.user_id]);
    if (owned.rows.length === 0) throw new HttpError(404, "not_found", "no such run");
  }
  const { rows } = await ctx.db.query<RecordRow>(
    `SELECT run_id, request_id, user_id, plan, input_tokens, output_tokens, amount_micros, created_at
     FROM billing_records WHERE user_id = $1 AND ($2::text IS NULL OR run_id = $2) ORDER BY id LIMIT 1000`,
    [user.user_id, runId],
  );
  const body: BillingUsageResponse = { records: rows.map(toRecord) };
  sendJson(res, 200, body);
}

export async function summary(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const user = await authenticate(ctx, req);
  const { rows } = await ctx.db.query<{ runs: string | number; input_tokens: string | number; output_tokens: string | number; amount_micros: string | number }>(
    `SELECT count(*) AS runs, coalesce(sum(input_tokens), 0) AS input_tokens,
            coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(amount_micros), 0) AS amount_micros
     FROM billing_records WHERE user_id = $1`,
    [user.user_id],
  );
  const row = rows[0]!;
  const body: BillingSummaryResponse = {
    plan: user.plan, runs: Number(row.runs), input_tokens: Number(row.input_tokens),
    output_tokens: Number(row.output_tokens), amount_micros: Number(row.amount_micros),
  };
  sendJson(res, 200, body);
}
