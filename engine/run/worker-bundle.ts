import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolsDir } from '../../build/paths.ts';

const engineDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const workerEntry = join(engineDir, 'runtime', 'worker-main.ts');
const require = createRequire(import.meta.url);

let built: Promise<string> | undefined;

/**
 * The worker threads run one JavaScript file: the VU runtime and every k6 module, bundled by esbuild from
 * engine/runtime/worker-main.ts, so that a worker starts in milliseconds instead of loading a TypeScript loader.
 * The file is named after what it is built from (the engine's sources, by name, size and time, and the versions of
 * the packages bundled in), and built only when no file of that name exists yet.
 */
export function workerBundle(): Promise<string> {
  built ??= ensureBuilt();
  return built;
}

function sourcesKey(): string {
  const hash = createHash('sha256');
  const files = readdirSync(engineDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}\0${size}\0${mtimeMs}\0`);
  }
  for (const name of ['ws', 'esbuild']) hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}\0`);
  return hash.digest('hex').slice(0, 16);
}

async function ensureBuilt(): Promise<string> {
  const file = join(toolsDir, 'engine', `worker-${sourcesKey()}.cjs`);
  if (existsSync(file)) return file;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [workerEntry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    sourcemap: 'inline',
    // ws loads these native helpers if they are installed; it works without them.
    external: ['bufferutil', 'utf-8-validate'],
    logLevel: 'silent',
  });
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, result.outputFiles[0]!.text);
  renameSync(partial, file);
  return file;
}
