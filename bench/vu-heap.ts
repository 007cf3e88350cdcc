// What one VU keeps alive once its init has run: the live JavaScript heap of the engine's worker threads (a heap
// snapshot of each, which collects garbage first), with WIDE VUs initialised less NARROW, ÷ the difference. Every VU
// is initialised and none iterates: the bundle runs inside a wrapper whose setup() waits until the snapshots are
// taken (bench/support/in-process.ts). Unlike peak RSS this does not move with the GC's timing, so a cut of a few
// KiB shows. The engine runs in this process; no target is needed (no VU sends anything).
//   npm run bench:vu-heap [bundle.js ...]   (default: dist/agent-events.js, dist/journey.js and the hand-written
//                                            agent-events; BENCH_ROUNDS=2 BENCH_NARROW=10 BENCH_WIDE=150 BENCH_KINDS=12)
import { join } from 'node:path';
import { withIdleVus } from './support/in-process.ts';
import { loadLine, median } from './support/run-measured.ts';
import { snapshotTree } from './support/snapshot.ts';
import { workersHeap, type HeapContents } from './support/worker-heaps.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const narrow = Number(process.env.BENCH_NARROW ?? 10);
const wide = Number(process.env.BENCH_WIDE ?? 150);
const kinds = Number(process.env.BENCH_KINDS ?? 12);
const tree = snapshotTree('bench-vu-heap');
const bundles = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : [join(tree.root, 'dist', 'agent-events.js'), join(tree.root, 'dist', 'journey.js'), join(tree.root, 'bench', 'handwritten', 'agent-events.js')];
const label = (bundle: string): string => bundle.replace(`${tree.root}/`, '');
// What the bundles read at init; nothing is sent (the test never gets past setup()).
const vars = { BASE_URL: 'http://127.0.0.1:9', PROFILE: 'smoke', PLANS: 'pro:1', VUS: '1', ITERATIONS: '1' };

const heapAt = (bundle: string, vus: number): Promise<HeapContents> => withIdleVus(tree.root, bundle, vus, vars, (workers) => workersHeap(workers));

console.log(`bench:vu-heap — live heap per VU, (${wide} − ${narrow} VUs) ÷ ${wide - narrow}, ${rounds} rounds; ${tree.describe}; ${loadLine()}`);
const perVu = new Map<string, number[]>(bundles.map((bundle) => [bundle, []]));
const lastKinds = new Map<string, Map<string, number>>();
try {
  for (let round = 1; round <= rounds; round++) {
    for (const bundle of round % 2 ? bundles : [...bundles].reverse()) {
      const small = await heapAt(bundle, narrow);
      const large = await heapAt(bundle, wide);
      const kib = (large.bytes - small.bytes) / (wide - narrow) / 1024;
      perVu.get(bundle)!.push(kib);
      const byKind = new Map<string, number>();
      for (const kind of new Set([...small.byKind.keys(), ...large.byKind.keys()])) byKind.set(kind, ((large.byKind.get(kind) ?? 0) - (small.byKind.get(kind) ?? 0)) / (wide - narrow));
      lastKinds.set(bundle, byKind);
      console.log(`  round ${round}  ${label(bundle).padEnd(36)} ${kib.toFixed(1)} KiB per VU  (heap ${(small.bytes / 2 ** 20).toFixed(1)} MiB at ${narrow} VUs, ${(large.bytes / 2 ** 20).toFixed(1)} MiB at ${wide})`);
    }
  }
} finally {
  tree.remove();
}
console.log(`\n${new Date().toISOString()}\n\n| bundle | live heap per VU after init, KiB (each round) |\n|---|---:|`);
for (const [bundle, figures] of perVu) console.log(`| \`${label(bundle)}\` | ${figures.map((kib) => kib.toFixed(1)).join(' / ')} |`);
for (const [bundle, byKind] of lastKinds) {
  console.log(`\nwhat a VU of \`${label(bundle)}\` holds (last round), bytes per VU by kind of object:`);
  for (const [kind, bytes] of [...byKind].sort((a, b) => b[1] - a[1]).slice(0, kinds)) console.log(`  ${bytes.toFixed(0).padStart(8)}  ${kind}`);
}
void median;
