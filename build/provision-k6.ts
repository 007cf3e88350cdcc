import { lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildGoBinary, compareVersions, findOnPath, goUnusable, isCurrentBuild, ProvisionError, type BuildOptions, type GoBinary } from './go-build.ts';
import { k6VersionOf, minimumK6Version, pinnedK6Version, requiredGoVersion } from './k6-version.ts';
import { k6ModuleDir, k6PatchDir, provisionedK6, toolsBinDir } from './paths.ts';

export { ProvisionError } from './go-build.ts';
export type ProvisionOptions = BuildOptions;

export interface ResolvedK6 {
  path: string;
  version: string;
  source: 'K6_BIN' | 'PATH' | 'built';
}

/** Our k6: build/k6's main package, with build/k6/patches applied to the vendored k6 (the first-frame race of issue 14).
 *  A change to any Go file or patch there (an extension, a new pin) makes it stale. */
export const k6Binary: GoBinary = { label: 'k6', moduleDir: k6ModuleDir, pkg: '.', output: provisionedK6, patchDir: k6PatchDir };

/** Points .tools/bin/k6 at an external binary, unless a built one already lives there. */
function linkIntoTools(binary: string): void {
  mkdirSync(toolsBinDir, { recursive: true });
  const existing = lstatSync(provisionedK6, { throwIfNoEntry: false });
  if (existing && !existing.isSymbolicLink()) return;
  if (existing) rmSync(provisionedK6);
  symlinkSync(resolve(binary), provisionedK6);
}

/**
 * Finds a usable k6 without building: K6_BIN, then an earlier build of build/k6 as it is now, then k6 on PATH, but
 * only where Go cannot build ours (a released k6 has the first-frame race and none of our extensions or patches).
 */
export function findK6(env: NodeJS.ProcessEnv = process.env): ResolvedK6 | undefined {
  if (env.K6_BIN) {
    const version = k6VersionOf(env.K6_BIN);
    if (!version) throw new ProvisionError(`K6_BIN=${env.K6_BIN} is not a runnable k6: unset K6_BIN, or point it at a k6 binary`);
    if (compareVersions(version, minimumK6Version) < 0) {
      throw new ProvisionError(`K6_BIN=${env.K6_BIN} is k6 v${version}; agent-sla needs k6 v${minimumK6Version} or newer`);
    }
    return { path: env.K6_BIN, version, source: 'K6_BIN' };
  }
  const built = lstatSync(provisionedK6, { throwIfNoEntry: false });
  if (built && !built.isSymbolicLink() && isCurrentBuild(k6Binary)) {
    const builtVersion = k6VersionOf(provisionedK6);
    if (builtVersion === pinnedK6Version()) return { path: provisionedK6, version: builtVersion, source: 'built' };
  }
  const onPath = findOnPath('k6', env);
  const pathVersion = onPath && k6VersionOf(onPath);
  if (onPath && pathVersion && compareVersions(pathVersion, minimumK6Version) >= 0 && goUnusable(k6ModuleDir)) {
    return { path: onPath, version: pathVersion, source: 'PATH' };
  }
  return undefined;
}

async function buildK6(options: ProvisionOptions): Promise<ResolvedK6> {
  const pinned = pinnedK6Version();
  const noGo = goUnusable(k6ModuleDir);
  if (noGo) {
    throw new ProvisionError(
      `no k6 >= ${minimumK6Version} found and ${noGo}: install k6 >= ${minimumK6Version} (or set K6_BIN=/path/to/k6), or install Go >= ${requiredGoVersion()} so setup can build k6 v${pinned}`,
    );
  }
  options.log?.(`building k6 v${pinned} from build/k6 (first time, and after a change there)`);
  // A link to a k6 found on PATH earlier: replace the link, never the binary it points at.
  if (lstatSync(provisionedK6, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(provisionedK6);
  await buildGoBinary(k6Binary, options);
  const version = k6VersionOf(provisionedK6);
  if (version !== pinned) throw new ProvisionError(`built k6 reports v${version ?? '?'}, expected v${pinned}`);
  return { path: provisionedK6, version, source: 'built' };
}

/** Makes a k6 available, building the pinned one only when nothing usable exists. */
export async function ensureK6(options: ProvisionOptions = {}): Promise<ResolvedK6> {
  const found = findK6(options.env ?? process.env);
  if (found) {
    if (found.source !== 'built') linkIntoTools(found.path);
    return found;
  }
  return buildK6(options);
}
