import type { Database } from "./types.ts";
import { openPostgres } from "./postgres.ts";
import { openPglite } from "./pglite.ts";

export type { Database, Queryable } from "./types.ts";

/** PostgreSQL when a URL is given, embedded PGlite otherwise. `guard` throws while the db-down fault is on. */
export function openDatabase(options: { databaseUrl?: string; dataDir?: string; guard: () => void }): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.guard)
    : openPglite(options.dataDir, options.guard);
}
