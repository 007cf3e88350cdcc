// Times the full build (type check + esbuild) and the esbuild step alone, and prints each bundle's size
// against the goals: a full build under 1 s, every bundle under 40 KB.
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleAll } from '../build/bundle.ts';
import { repoRoot, toolsDir } from '../build/paths.ts';
import { typecheck } from '../build/typecheck.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const buildGoalMs = 1000;
const bundleGoalBytes = 40 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed<T>(work: () => Promise<T> | T): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

const tsbuildinfo = join(toolsDir, 'tsbuildinfo');
const bundleTimes: number[] = [];
const coldTimes: number[] = [];
const warmTimes: number[] = [];
let sizes: { name: string; bytes: number }[] = [];
for (let round = 0; round < rounds; round++) {
  // Cold: no incremental cache, as on a fresh clone. Warm: the cache of the run before, nothing changed since.
  rmSync(tsbuildinfo, { recursive: true, force: true });
  for (const times of [coldTimes, warmTimes]) {
    const [checkMs, errors] = await timed(() => typecheck());
    if (errors) throw new Error(`type check failed:\n${errors}`);
    const [bundleMs, bundles] = await timed(() => bundleAll());
    times.push(checkMs + bundleMs);
    bundleTimes.push(bundleMs);
    sizes = bundles.map((bundle) => ({ name: relative(repoRoot, bundle.output), bytes: bundle.bytes }));
  }
}

const line = (label: string, ms: number): string => `  ${label.padEnd(44)} ${ms.toFixed(0).padStart(5)} ms  (${(ms / buildGoalMs).toFixed(2)}x the ${buildGoalMs} ms goal)`;
console.log(`build and bundle, median of ${rounds} rounds`);
console.log(line('esbuild alone (every scenario and fixture):', median(bundleTimes)));
console.log(line('type check + esbuild, cold (fresh clone):', median(coldTimes)));
console.log(line('type check + esbuild, warm (nothing changed):', median(warmTimes)));
for (const { name, bytes } of sizes) {
  console.log(`  ${name.padEnd(36)} ${(bytes / 1024).toFixed(1).padStart(6)} KB  (${(bytes / bundleGoalBytes).toFixed(2)}x the 40 KB goal)`);
}
