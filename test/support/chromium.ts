import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { findOnPath } from '../../build/go-build.ts';
import { toolsDir } from '../../build/paths.ts';

/** The npm package that ships a brotli-packed Chromium inside its tarball, and its version (for the cache dir). */
function packagedChromium(): { root: string; version: string } | undefined {
  let dir: string;
  try {
    dir = dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium')));
  } catch {
    return undefined;
  }
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@sparticuz/chromium' && pkg.version) return { root: dir, version: pkg.version };
  }
  return undefined;
}

/**
 * Unpacks the packaged Chromium once into .tools/chromium-<version>/. The package unpacks into os.tmpdir(), and reuses
 * whatever `chromium` it finds there, so it runs in a child whose TMPDIR is a fresh directory of ours.
 */
function unpackChromium(version: string): string {
  const dir = join(toolsDir, `chromium-${version}`);
  const binary = join(dir, 'chromium');
  if (existsSync(binary)) return binary;
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const unpack = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath());"],
    { env: { ...process.env, TMPDIR: partial }, encoding: 'utf8', timeout: 120_000 },
  );
  if (unpack.status !== 0 || unpack.stdout !== join(partial, 'chromium')) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`unpacking @sparticuz/chromium failed: ${unpack.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${unpack.status}`}`);
  }
  if (!existsSync(binary)) renameSync(partial, dir);
  else rmSync(partial, { recursive: true, force: true });
  return binary;
}

export interface Candidate { path: string; source: string }

/** Where a Chromium may be, in order: CHROMIUM_PATH, a system chromium on PATH, the one npm installed. */
export function chromiumCandidates(env: NodeJS.ProcessEnv, usePackaged = true): { candidates: Candidate[]; problems: string[] } {
  const candidates: Candidate[] = [];
  const problems: string[] = [];
  if (env.CHROMIUM_PATH) candidates.push({ path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' });
  for (const name of ['chromium', 'chromium-browser']) {
    const onPath = findOnPath(name, env);
    if (onPath) candidates.push({ path: onPath, source: `system ${name}` });
  }
  const packaged = usePackaged ? packagedChromium() : undefined;
  if (!usePackaged) problems.push('@sparticuz/chromium not tried');
  else if (!packaged) problems.push('@sparticuz/chromium is not installed (npm ci installs it)');
  else {
    try {
      candidates.push({ path: unpackChromium(packaged.version), source: `@sparticuz/chromium ${packaged.version}` });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { candidates, problems };
}

export interface Launched { browser: Browser; source: string }

/** Launches the first Chromium that starts; when none does, throws saying why, so the test fails with the reason. */
export async function launchChromium(args: string[], env: NodeJS.ProcessEnv = process.env, usePackaged = true): Promise<Launched> {
  const { candidates, problems } = chromiumCandidates(env, usePackaged);
  const failures: string[] = candidates.length === 0 ? ['no chromium on PATH and CHROMIUM_PATH unset'] : [];
  for (const candidate of candidates) {
    try {
      return { browser: await chromium.launch({ executablePath: candidate.path, args, timeout: 60_000 }), source: candidate.source };
    } catch (error) {
      failures.push(`${candidate.source} (${candidate.path}) did not start: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no Chromium could be started: ${[...failures, ...problems].join('; ')}`);
}
