import { randomUUID } from "node:crypto";
import type { Plan, RunEvent, RunMode, Usage } from "../../lib/protocol/index.ts";
import type { Database } from "../db/open.ts";
import type { FaultState } from "../faults.ts";
import { priceRun } from "./prices.ts";

export type Claim =
  | { kind: "new"; runId: string }
  | { kind: "existing"; runId: string; status: "running" | "completed" | "failed"; events: RunEvent[] };

/**
 * Insert-or-fetch on the unique (user_id, request_id): exactly one caller gets
 * "new", even when the same request_id arrives twice at once.
 */
export async function claimRun(db: Database, userId: string, requestId: string, threadId: string, mode: RunMode): Promise<Claim> {
  const runId = randomUUID();
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO runs (id, user_id, request_id, thread_id, mode) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id, request_id) DO NOTHING RETURNING id`,
    [runId, userId, requestId, threadId, mode],
  );
  if (inserted.rows.length > 0) return { kind: "new", runId };
  return fetchRun(db, userId, requestId);
}

export async function fetchRun(db: Database, userId: string, requestId: string): Promise<Claim & { kind: "existing" }> {
  const { rows } = await db.query<{ id: string; status: "running" | "completed" | "failed"; events: RunEvent[] | string | null }>(
    "SELECT id, status, events FROM runs WHERE user_id = $1 AND request_id = $2",
    [userId, requestId],
  );
  const row = rows[0];
  if (!row) throw new Error("run vanished after a unique conflict");
  const events = typeof row.events === "string" ? (JSON.parse(row.events) as RunEvent[]) : (row.events ?? []);
  return { kind: "existing", runId: row.id, status: row.status, events };
}

/**
 * Marks the run complete and writes its billing record in ONE transaction.
 * The skip-billing and double-billing faults break exactly this on purpose.
 */
export async function completeRun(
  db: Database, faults: FaultState,
  run: { runId: string; requestId: string; userId: string; plan: Plan; usage: Usage; events: RunEvent[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx.query(
      "UPDATE runs SET status = 'completed', events = $2::jsonb, completed_at = now() WHERE id = $1 AND status = 'running' RETURNING id",
      [run.runId, JSON.stringify(run.events)],
    );
    if (updated.rows.length === 0 || faults.skipBilling) return;
    const copies = faults.billTwice() ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      await tx.query(
        `INSERT INTO billing_records (run_id, request_id, user_id, plan, input_tokens, output_tokens, amount_micros)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [run.runId, run.requestId, run.userId, run.plan, run.usage.input_tokens, run.usage.output_tokens, priceRun(run.plan, run.usage)],
      );
    }
  });
}

export async function failRun(db: Database, runId: string, events: RunEvent[]): Promise<void> {
  await db.query("UPDATE runs SET status = 'failed', events = $2::jsonb, completed_at = now() WHERE id = $1 AND status = 'running'", [
    runId, JSON.stringify(events),
  ]);
}
