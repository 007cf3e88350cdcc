import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable } from "./types.ts";
import { MIGRATIONS } from "./migrations.ts";
import { loadTemplate, saveTemplate } from "./pglite-template.ts";

/** In memory from the migrated template when there is one; otherwise initdb, then save the template. */
async function openInMemory(): Promise<PGlite> {
  const template = await loadTemplate();
  if (template) {
    try {
      return await PGlite.create({ loadDataDir: template });
    } catch {
      // A template from another PGlite build: fall through and make a new one.
    }
  }
  const db = await PGlite.create();
  await db.exec(MIGRATIONS);
  await saveTemplate(db);
  return db;
}

/** Embedded PostgreSQL: in memory, or persisted in dataDir. */
export async function openPglite(dataDir: string | undefined, guard: () => void): Promise<Database> {
  const db = dataDir ? await PGlite.create(dataDir) : await openInMemory();
  await db.exec(MIGRATIONS);
  return {
    kind: "pglite",
    async query<Row>(sql: string, params?: unknown[]) {
      guard();
      const result = await db.query<Row>(sql, params);
      return { rows: result.rows };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      guard();
      return db.transaction(async (t) =>
        fn({
          async query<Row>(sql: string, params?: unknown[]) {
            const result = await t.query<Row>(sql, params);
            return { rows: result.rows };
          },
        }),
      );
    },
    close: () => db.close(),
  };
}
