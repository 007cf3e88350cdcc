import pg from "pg";
import type { Database, Queryable } from "./types.ts";
import { MIGRATIONS } from "./migrations.ts";

export async function openPostgres(url: string, guard: () => void): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", () => {}); // an idle client dying must not crash the target; the next query reports it
  await pool.query(MIGRATIONS);
  return {
    kind: "postgres",
    async query<Row>(sql: string, params?: unknown[]) {
      guard();
      const result = await pool.query(sql, params);
      return { rows: result.rows as Row[] };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      guard();
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: Queryable = {
          async query<Row>(sql: string, params?: unknown[]) {
            const result = await client.query(sql, params);
            return { rows: result.rows as Row[] };
          },
        };
        const value = await fn(tx);
        await client.query("COMMIT");
        return value;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
