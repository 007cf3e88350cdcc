import { createHash } from "node:crypto";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { MIGRATIONS } from "./migrations.ts";

/**
 * A migrated, empty PGlite data directory, dumped once per machine and loaded by
 * every later in-memory start. Creating PGlite from scratch runs initdb, which
 * takes 5-20 s on a busy 2-core machine; loading the template skips it. Each
 * target still gets its own private in-memory copy.
 */
async function templatePath(): Promise<string> {
  // Keyed on the schema and the installed PGlite build, so either changing makes a new template.
  const pglite = await stat(fileURLToPath(import.meta.resolve("@electric-sql/pglite")));
  const key = createHash("sha256").update(`${MIGRATIONS}\u0000${pglite.size}\u0000${pglite.mtimeMs}`).digest("hex").slice(0, 16);
  return join(tmpdir(), `agent-sla-pglite-template-${key}.tar`);
}

export async function loadTemplate(): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(await templatePath())]);
  } catch {
    return undefined;
  }
}

/** Best effort: a failure here only means the next start runs initdb again. */
export async function saveTemplate(db: PGlite): Promise<void> {
  try {
    const path = await templatePath();
    const dump = await db.dumpDataDir("none");
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path); // atomic, so a concurrent start never reads half a file
  } catch {
    // ignored on purpose
  }
}
