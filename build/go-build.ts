// Builds a tool from a pinned Go module under build/ into .tools/bin, once (today: influxd, for the InfluxDB tests).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot, toolsBinDir } from './paths.ts';
import { startProgress } from './progress.ts';

export class ProvisionError extends Error {}

export interface GoBinary {
  /** Shown in progress and errors: "InfluxDB". */
  label: string;
  /** The module under build/ whose go.mod and go.sum pin every dependency. */
  moduleDir: string;
  /** The package to build, relative to moduleDir ('.') or a full import path. */
  pkg: string;
  output: string;
  ldflags?: string;
  env?: Record<string, string>;
}

export interface BuildOptions {
  log?: (line: string) => void;
  quiet?: boolean;
  env?: NodeJS.ProcessEnv;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

export function goVersion(): string | undefined {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) return undefined;
  return /go(\d+\.\d+(?:\.\d+)?)/.exec(result.stdout)?.[1];
}

/** The `go` line of a module's go.mod: the oldest Go that can build it. */
export function requiredGoOf(moduleDir: string): string {
  const goMod = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
  return /^go\s+(\d+\.\d+(?:\.\d+)?)/m.exec(goMod)?.[1] ?? '1.25';
}

/** Why this machine's Go cannot build the module ("Go is not installed"), or undefined when it can. */
export function goUnusable(moduleDir: string): string | undefined {
  const have = goVersion();
  if (!have) return 'Go is not installed';
  if (compareVersions(have, requiredGoOf(moduleDir)) < 0) return `Go ${have} is too old`;
  return undefined;
}

function goSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && (entry.name.endsWith('.go') || entry.name === 'go.mod' || entry.name === 'go.sum'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A hash of what decides the binary: go.mod, go.sum, every .go file of the module, and the build arguments. */
export function sourceHash(binary: GoBinary): string {
  const hash = createHash('sha256').update(`${binary.pkg}\0${binary.ldflags ?? ''}\0${JSON.stringify(binary.env ?? {})}\0`);
  for (const file of goSources(binary.moduleDir)) {
    hash.update(`${relative(binary.moduleDir, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** A tool on PATH, skipping .tools/bin (which holds what we provisioned). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
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

const stampOf = (output: string): string => `${output}.source-hash`;

/** True when output was built by buildGoBinary from the module as it is now. */
export function isCurrentBuild(binary: GoBinary): boolean {
  try {
    return readFileSync(stampOf(binary.output), 'utf8').trim() === sourceHash(binary);
  } catch {
    return false;
  }
}

function goEnv(binary: GoBinary, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // readonly: every module must already be listed, with its hash, in the committed go.sum.
  // local toolchain: never let `go` fetch a newer toolchain of its own.
  return { ...env, ...binary.env, GOFLAGS: '-mod=readonly -buildvcs=false', GOTOOLCHAIN: 'local' };
}

function runGo(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync('go', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new ProvisionError(`go ${args.join(' ')} failed:\n${result.stderr.trim()}`);
  return result.stdout;
}

/** Compiles the module's package into binary.output with a progress bar, then stamps it with its source hash. */
export async function buildGoBinary(binary: GoBinary, options: BuildOptions = {}): Promise<void> {
  const env = goEnv(binary, options.env ?? process.env);
  await compile(binary, binary.moduleDir, env, options);
  writeFileSync(stampOf(binary.output), `${sourceHash(binary)}\n`);
}

async function compile(binary: GoBinary, dir: string, env: NodeJS.ProcessEnv, options: BuildOptions): Promise<void> {
  options.log?.(`fetching the Go modules ${binary.label} needs, each verified against ${relative(repoRoot, binary.moduleDir)}/go.sum`);
  // Listing the packages fetches exactly the modules the build needs; `go mod download` would also ask the proxy
  // for .info files it refuses for some of them.
  const packages = runGo(['list', '-deps', binary.pkg], dir, env).split('\n').filter(Boolean).length;

  mkdirSync(dirname(binary.output), { recursive: true });
  const partial = `${binary.output}.partial-${process.pid}`;
  const progress = startProgress(`compiling ${binary.label}`, packages, { quiet: options.quiet });
  const args = ['build', '-v', '-trimpath', ...(binary.ldflags ? ['-ldflags', binary.ldflags] : []), '-o', partial, binary.pkg];
  const go = spawn('go', args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const errors: string[] = [];
  createInterface({ input: go.stderr }).on('line', (line) => {
    if (/^[\w.-]+(\/[\w.@-]+)*$/.test(line)) progress.tick(line);
    else errors.push(line);
  });
  const code = await new Promise<number | null>((done) => go.on('close', done));
  progress.stop();
  if (code !== 0) {
    rmSync(partial, { force: true });
    throw new ProvisionError(`go build of ${binary.label} failed:\n${errors.join('\n')}`);
  }
  // A symlink left there by an external binary is replaced, not written through.
  if (lstatSync(binary.output, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(binary.output);
  renameSync(partial, binary.output);
}
