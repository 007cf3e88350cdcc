import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildScenarios } from '../build/build.ts';
import { listEntries, type BundleEntry } from '../build/bundle.ts';
import { repoRoot } from '../build/paths.ts';

const scenariosDir = join(repoRoot, 'scenarios');
/** Everything a scenario bundle is made from. */
const sourceDirs = [scenariosDir, join(repoRoot, 'lib')];

export function scenarioEntries(): BundleEntry[] {
  return listEntries().filter((entry) => entry.source.startsWith(`${scenariosDir}/`));
}

export function scenarioNames(): string[] {
  return scenarioEntries().map((entry) => entry.name);
}

function newestMtimeMs(dir: string): number {
  let newest = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    newest = Math.max(newest, stat.isDirectory() ? newestMtimeMs(path) : stat.mtimeMs);
  }
  return newest;
}

/** A bundle is stale when it is missing or older than any file under scenarios/ or lib/. */
export function isStale(entry: BundleEntry): boolean {
  const built = statSync(entry.output, { throwIfNoEntry: false });
  if (!built) return true;
  return sourceDirs.some((dir) => newestMtimeMs(dir) > built.mtimeMs);
}

/**
 * Rebuilds every bundle when this one is stale. The type check is `npm run build`'s job;
 * here esbuild alone keeps dist/ in step with the sources, in about a second.
 */
export async function ensureBuilt(entry: BundleEntry): Promise<boolean> {
  if (!isStale(entry)) return false;
  await buildScenarios({ typecheck: false });
  return true;
}
