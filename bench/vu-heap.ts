// What one VU holds once its init has run (issue 15): the Go heap in use after a forced GC, with every VU initialised
// and none running (`k6 run --paused`), at WIDE VUs less NARROW VUs, ÷ the difference. Unlike peak RSS, which moves
// with the GC's timing, this gives the same figure to about 0.5 KiB run after run, so a cut of a few KiB shows.
// No target is needed: a paused test never sends a request.
//   npx tsx bench/vu-heap.ts [bundle.js ...]   (default: dist/agent-events.js, dist/journey.js and the hand-written
//                                               agent-events; BENCH_ROUNDS=2 BENCH_NARROW=10 BENCH_WIDE=150)
import { join } from 'node:path';
import { repoRoot } from '../build/paths.ts';
import { bundlePath } from '../test/support/k6.ts';
import { heapPerVuKiB } from './support/vu-heap.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const narrow = Number(process.env.BENCH_NARROW ?? 10);
const wide = Number(process.env.BENCH_WIDE ?? 150);
const apiPort = Number(process.env.BENCH_API_PORT ?? 16565);
const bundles = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : [bundlePath('agent-events'), bundlePath('journey'), join(repoRoot, 'bench', 'handwritten', 'agent-events.js')];

console.log(`vu-heap: live Go heap per VU, (${wide} VUs − ${narrow} VUs) ÷ ${wide - narrow}, ${rounds} rounds, bundles alternated`);
const perVu = new Map<string, number[]>(bundles.map((bundle) => [bundle, []]));
for (let round = 1; round <= rounds; round++) {
  for (const bundle of bundles) {
    const kib = await heapPerVuKiB(bundle, narrow, wide, apiPort);
    perVu.get(bundle)!.push(kib);
    console.log(`  round ${round}  ${bundle.replace(`${repoRoot}/`, '')}  ${kib.toFixed(1)} KiB per VU`);
  }
}
console.log('\n| bundle | live heap per VU, KiB (each round) |\n|---|---:|');
for (const [bundle, figures] of perVu) console.log(`| \`${bundle.replace(`${repoRoot}/`, '')}\` | ${figures.map((kib) => kib.toFixed(1)).join(' / ')} |`);
