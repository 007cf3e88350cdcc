import * as esbuild from 'esbuild';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleAll, esbuildOptions, listEntries, type BundleResult } from './bundle.ts';
import { repoRoot } from './paths.ts';
import { typecheck } from './typecheck.ts';

const bundleBudgetBytes = 40 * 1024;

export interface BuildOptions {
  typecheck?: boolean;
  log?: (line: string) => void;
}

export class BuildError extends Error {}

/** Type-checks, then bundles every scenario (and k6 test fixture) into dist/. */
export async function buildScenarios(options: BuildOptions = {}): Promise<BundleResult[]> {
  const log = options.log ?? (() => {});
  if (options.typecheck !== false) {
    const errors = await typecheck();
    if (errors) throw new BuildError(`type check failed:\n${errors}`);
  }
  const bundles = await bundleAll();
  for (const line of sizeReport(bundles)) log(line);
  return bundles;
}

export function sizeReport(bundles: BundleResult[]): string[] {
  return bundles.map((bundle) => {
    const kb = (bundle.bytes / 1024).toFixed(1).padStart(6);
    const over = bundle.bytes > bundleBudgetBytes ? `  (over the ${bundleBudgetBytes / 1024} KB budget)` : '';
    return `  ${relative(repoRoot, bundle.output).padEnd(40)} ${kb} KB${over}`;
  });
}

async function watch(): Promise<void> {
  const entries = listEntries();
  const context = await esbuild.context({
    ...esbuildOptions(entries),
    plugins: [
      {
        name: 'report',
        setup(build) {
          build.onEnd(async (result) => {
            if (result.errors.length > 0) {
              console.error(`build failed: ${result.errors.map((e) => e.text).join('; ')}`);
              return;
            }
            const errors = await typecheck();
            if (errors) console.error(`type check failed:\n${errors}`);
            console.log(`rebuilt ${entries.length} bundles at ${new Date().toLocaleTimeString()}`);
          });
        },
      },
    ],
  });
  await context.watch();
  console.log('watching scenarios/ and lib/ (Ctrl-C to stop)');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { watch: { type: 'boolean', default: false }, 'no-typecheck': { type: 'boolean', default: false } },
  });
  if (values.watch) return watch();
  const started = performance.now();
  const bundles = await buildScenarios({ typecheck: !values['no-typecheck'], log: (line) => console.log(line) });
  console.log(`built ${bundles.length} bundles in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof BuildError ? error.message : `build failed: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
