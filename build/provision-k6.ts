import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import {
  compareVersions,
  goVersion,
  k6VersionOf,
  minimumK6Version,
  pinnedK6Version,
  requiredGoVersion,
} from './k6-version.ts';
import { k6ModuleDir, provisionedK6, toolsBinDir } from './paths.ts';
import { startProgress } from './progress.ts';

export class ProvisionError extends Error {}

export interface ProvisionOptions {
  log?: (line: string) => void;
  quiet?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedK6 {
  path: string;
  version: string;
  source: 'K6_BIN' | 'PATH' | 'built';
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || resolve(dir) === toolsBinDir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Points .tools/bin/k6 at an external binary, unless a built one already lives there. */
function linkIntoTools(binary: string): void {
  mkdirSync(toolsBinDir, { recursive: true });
  const existing = lstatSync(provisionedK6, { throwIfNoEntry: false });
  if (existing && !existing.isSymbolicLink()) return;
  if (existing) rmSync(provisionedK6);
  symlinkSync(resolve(binary), provisionedK6);
}

/** Finds a usable k6 without building: K6_BIN, then k6 on PATH, then an earlier build. */
export function findK6(env: NodeJS.ProcessEnv = process.env): ResolvedK6 | undefined {
  if (env.K6_BIN) {
    const version = k6VersionOf(env.K6_BIN);
    if (!version) throw new ProvisionError(`K6_BIN=${env.K6_BIN} is not a runnable k6: unset K6_BIN, or point it at a k6 binary`);
    if (compareVersions(version, minimumK6Version) < 0) {
      throw new ProvisionError(`K6_BIN=${env.K6_BIN} is k6 v${version}; agent-sla needs k6 v${minimumK6Version} or newer`);
    }
    return { path: env.K6_BIN, version, source: 'K6_BIN' };
  }
  const onPath = findOnPath('k6', env);
  const pathVersion = onPath && k6VersionOf(onPath);
  if (onPath && pathVersion && compareVersions(pathVersion, minimumK6Version) >= 0) {
    return { path: onPath, version: pathVersion, source: 'PATH' };
  }
  const builtVersion = existsSync(provisionedK6) ? k6VersionOf(provisionedK6) : undefined;
  if (builtVersion === pinnedK6Version()) return { path: provisionedK6, version: builtVersion, source: 'built' };
  return undefined;
}

function goEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // readonly: every module must already be listed, with its hash, in the committed go.sum.
  // local toolchain: never let `go` fetch a newer toolchain of its own.
  return { ...env, GOFLAGS: '-mod=readonly -buildvcs=false', GOTOOLCHAIN: 'local' };
}

function runGo(args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync('go', args, { cwd: k6ModuleDir, env: goEnv(env), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new ProvisionError(`go ${args.join(' ')} failed:\n${result.stderr.trim()}`);
  return result.stdout;
}

async function buildK6(options: ProvisionOptions): Promise<ResolvedK6> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const pinned = pinnedK6Version();
  const needGo = requiredGoVersion();
  const haveGo = goVersion();
  if (!haveGo || compareVersions(haveGo, needGo) < 0) {
    const found = haveGo ? `Go ${haveGo} is too old` : 'Go is not installed';
    throw new ProvisionError(
      `no k6 >= ${minimumK6Version} found and ${found}: install k6 >= ${minimumK6Version} (or set K6_BIN=/path/to/k6), or install Go >= ${needGo} so setup can build k6 v${pinned}`,
    );
  }
  log(`building k6 v${pinned} from build/k6 with Go ${haveGo} (first time only)`);
  // Listing the packages fetches exactly the modules the build needs, each checked against go.sum.
  log('fetching the Go modules k6 needs, each verified against build/k6/go.sum');
  const packages = runGo(['list', '-deps', '.'], env).split('\n').filter(Boolean).length;

  mkdirSync(toolsBinDir, { recursive: true });
  const partial = `${provisionedK6}.partial`;
  const progress = startProgress('compiling k6', packages, { quiet: options.quiet });
  const go = spawn('go', ['build', '-v', '-trimpath', '-o', partial, '.'], {
    cwd: k6ModuleDir,
    env: goEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const errors: string[] = [];
  createInterface({ input: go.stderr }).on('line', (line) => {
    if (/^[\w.-]+(\/[\w.@-]+)*$/.test(line)) progress.tick(line);
    else errors.push(line);
  });
  const code = await new Promise<number | null>((done) => go.on('close', done));
  progress.stop();
  if (code !== 0) throw new ProvisionError(`go build of k6 failed:\n${errors.join('\n')}`);

  const lstat = lstatSync(provisionedK6, { throwIfNoEntry: false });
  if (lstat?.isSymbolicLink()) rmSync(provisionedK6);
  renameSync(partial, provisionedK6);
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

async function main(): Promise<void> {
  const started = performance.now();
  const k6 = await ensureK6({ log: (line) => console.log(line) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const where = k6.source === 'built' ? 'built from build/k6' : `from ${k6.source}`;
  console.log(`k6 v${k6.version} ready at ${k6.path} (${where}, ${seconds} s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`setup: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
