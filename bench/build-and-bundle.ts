// Times the full build (type check + esbuild) and the esbuild step alone, and prints each bundle's size
// against the goals: a full build under 1 s, every bundle under 40 KB.
import { relative } from 'node:path';
import { bundleAll } from '../build/bundle.ts';
import { repoRoot } from '../build/paths.ts';
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

const bundleTimes: number[] = [];
const checkTimes: number[] = [];
let sizes: { name: string; bytes: number }[] = [];
for (let round = 0; round < rounds; round++) {
  const [checkMs, errors] = await timed(() => typecheck());
  if (errors) throw new Error(`type check failed:\n${errors}`);
  const [bundleMs, bundles] = await timed(() => bundleAll());
  checkTimes.push(checkMs);
  bundleTimes.push(bundleMs);
  sizes = bundles.map((bundle) => ({ name: relative(repoRoot, bundle.output), bytes: bundle.bytes }));
}

const bundleMs = median(bundleTimes);
const fullMs = median(checkTimes.map((check, i) => check + (bundleTimes[i] ?? 0)));
console.log(`build and bundle, median of ${rounds} rounds`);
console.log(`  esbuild alone:           ${bundleMs.toFixed(0)} ms  (${(bundleMs / buildGoalMs).toFixed(2)}x the ${buildGoalMs} ms goal)`);
console.log(`  type check + esbuild:    ${fullMs.toFixed(0)} ms  (${(fullMs / buildGoalMs).toFixed(2)}x the ${buildGoalMs} ms goal)`);
for (const { name, bytes } of sizes) {
  console.log(`  ${name.padEnd(36)} ${(bytes / 1024).toFixed(1).padStart(6)} KB  (${(bytes / bundleGoalBytes).toFixed(2)}x the 40 KB goal)`);
}
