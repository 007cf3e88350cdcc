import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { distDir, repoRoot } from './paths.ts';

export interface BundleEntry {
  name: string;
  source: string;
  output: string;
}

export interface BundleResult extends BundleEntry {
  bytes: number;
}

const entryDirs = [
  { dir: join(repoRoot, 'scenarios'), out: distDir },
  { dir: join(repoRoot, 'test', 'fixtures', 'k6'), out: join(distDir, 'fixtures') },
];

export function listEntries(): BundleEntry[] {
  return entryDirs.flatMap(({ dir, out }) => {
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      return [];
    }
    return files
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .sort()
      .map((file) => {
        const name = basename(file, '.ts');
        return { name, source: join(dir, file), output: join(out, `${name}.js`) };
      });
  });
}

// The runtime resolves these itself: k6's built-in modules, agent-sla's engine modules, and remote jslib imports.
const k6Externals = ['k6', 'k6/*', 'agent-sla/*', 'https://*'];

export function esbuildOptions(entries: BundleEntry[]): esbuild.BuildOptions {
  return {
    entryPoints: Object.fromEntries(
      entries.map((entry) => [relative(distDir, entry.output).replace(/\.js$/, ''), entry.source]),
    ),
    outdir: distDir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2021',
    external: k6Externals,
    // A linked map keeps the script k6 parses per VU small; k6 reads the .map file once for stack traces.
    sourcemap: 'linked',
    sourcesContent: false,
    // Each VU parses the bundle: identifiers and syntax are minified too; the linked map keeps stack traces in TS.
    minify: true,
    legalComments: 'none',
    // The k6 side's compiler options, which assign class fields in the constructor (useDefineForClassFields: false).
    // Defined fields would go through a helper and Object.defineProperty, with a descriptor object, for every field
    // of every object built per run: in k6's interpreter that was about a third of the library's cost per run.
    tsconfig: join(repoRoot, 'tsconfig.k6.json'),
    logLevel: 'silent',
  };
}

export async function bundleAll(entries = listEntries()): Promise<BundleResult[]> {
  if (entries.length === 0) return [];
  await esbuild.build(esbuildOptions(entries));
  return entries.map((entry) => ({ ...entry, bytes: statSync(entry.output).size }));
}
