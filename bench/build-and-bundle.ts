// Times the full build (type check + esbuild) and the esbuild step alone, and prints each bundle's size
// against the goals: a full build under 1 s warm and 3 s cold, every bundle under 40 KB. The type check is timed
// with TypeScript 7 (what the build uses) and TypeScript 5.9 side by side, rounds interleaved so both see the same load.
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleAll } from '../build/bundle.ts';
import { repoRoot, toolsDir } from '../build/paths.ts';
import { typecheck, type Compiler } from '../build/typecheck.ts';

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

const compilers: Array<[Compiler, string]> = [['tsc', 'TypeScript 7'], ['tsc5', 'TypeScript 5.9']];
const coldGoalMs = 3000;
const bundleTimes: number[] = [];
const times = new Map(compilers.map(([compiler]) => [compiler, { cold: [] as number[], warm: [] as number[] }]));
let sizes: { name: string; bytes: number }[] = [];
for (let round = 0; round < rounds; round++) {
  for (const [compiler] of compilers) {
    // Cold: no incremental cache, as on a fresh clone. Warm: the cache of the run before, nothing changed since.
    rmSync(join(toolsDir, 'tsbuildinfo', compiler), { recursive: true, force: true });
    const measured = times.get(compiler)!;
    for (const series of [measured.cold, measured.warm]) {
      const [checkMs, errors] = await timed(() => typecheck(undefined, compiler));
      if (errors) throw new Error(`type check (${compiler}) failed:\n${errors}`);
      const [bundleMs, bundles] = await timed(() => bundleAll());
      series.push(checkMs + bundleMs);
      bundleTimes.push(bundleMs);
      sizes = bundles.map((bundle) => ({ name: relative(repoRoot, bundle.output), bytes: bundle.bytes }));
    }
  }
}

const line = (label: string, ms: number, goalMs = buildGoalMs): string =>
  `  ${label.padEnd(48)} ${ms.toFixed(0).padStart(5)} ms  (${(ms / goalMs).toFixed(2)}x the ${goalMs} ms goal)`;
console.log(`build and bundle, median of ${rounds} rounds`);
console.log(line('esbuild alone (every scenario and fixture):', median(bundleTimes)));
for (const [compiler, name] of compilers) {
  const measured = times.get(compiler)!;
  console.log(line(`${name} + esbuild, cold (fresh clone):`, median(measured.cold), coldGoalMs));
  console.log(line(`${name} + esbuild, warm (nothing changed):`, median(measured.warm)));
}
for (const { name, bytes } of sizes) {
  console.log(`  ${name.padEnd(36)} ${(bytes / 1024).toFixed(1).padStart(6)} KB  (${(bytes / bundleGoalBytes).toFixed(2)}x the 40 KB goal)`);
}
