// What a VU holding a session keeps in memory, by kind of object: the agent-events bundle with NARROW and then WIDE
// VUs, each VU holding its WebSocket open through THINK_TIME_MS (as bench/vu-memory.ts), run in this process so that
// the engine's worker threads can be snapshotted while every session is open (the target's socket count says when).
// Per added VU: the live JavaScript heap (snapshot, garbage collected first) by kind, and the process's RSS; what RSS
// grows beyond the live heap is native memory (sockets, buffers outside the heap) and V8's heap headroom.
//   npm run bench:profile-memory   (PROFILE_SCRIPT=ours|hand-written|path PROFILE_NARROW=50 PROFILE_WIDE=550
//                                   THINK_TIME_MS=8000 PROFILE_KINDS=25)
import { join } from 'node:path';
import { targetOf, warmEngine } from './support/engine.ts';
import { startInProcess } from './support/in-process.ts';
import { loadLine } from './support/run-measured.ts';
import { snapshotTree } from './support/snapshot.ts';
import { workersHeap, type HeapContents } from './support/worker-heaps.ts';

const narrow = Number(process.env.PROFILE_NARROW ?? 50);
const wide = Number(process.env.PROFILE_WIDE ?? 550);
const thinkMs = Number(process.env.THINK_TIME_MS ?? 8000);
const kinds = Number(process.env.PROFILE_KINDS ?? 25);
const which = process.env.PROFILE_SCRIPT ?? 'ours';
const tree = snapshotTree('bench-profile-memory');
const script = which === 'ours' ? join(tree.root, 'dist', 'agent-events.js')
  : which === 'hand-written' ? join(tree.root, 'bench', 'handwritten', 'agent-events.js') : which;
const { spawnTarget } = await targetOf(tree.root);
// Long enough a think time that every session is open at once when the snapshots are taken.
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.05', TARGET_IDLE_TIMEOUT_MS: String(Math.max(60_000, 3 * thinkMs)), TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Held { heap: HeapContents; rssMiB: number; sockets: number }
async function held(vus: number): Promise<Held> {
  const run = await startInProcess(tree.root, script, { BASE_URL: target.url, VUS: String(vus), ITERATIONS: String(vus), RUNS_PER_SESSION: '2', THINK_TIME_MS: String(thinkMs), PROFILE: 'smoke', PLANS: 'pro:1', SUMMARY_DIR: join(tree.root, 'reports') });
  let ended = false;
  void run.done.then(() => (ended = true));
  const deadline = Date.now() + 5 * 60_000;
  let sockets = 0;
  // Every VU has its session open, and none is still running its first agent: the target holds vus sockets and no run.
  for (;;) {
    if (ended || Date.now() > deadline) throw new Error(`${vus} VUs never held ${vus} sessions at once (last ${sockets}): ${run.output().stderr.slice(-1000)}`);
    const stats = await target.stats();
    sockets = stats.sockets;
    if (sockets >= vus && stats.active_runs === 0) break;
    await sleep(100);
  }
  // RSS first: a heap snapshot itself takes memory.
  const rssMiB = process.memoryUsage().rss / 2 ** 20;
  const heap = await workersHeap(run.workers);
  const code = await run.done;
  if (code !== 0 && code !== 99) throw new Error(`${vus} VUs exited ${code}: ${run.output().stderr.slice(-1500)}`);
  return { heap, rssMiB, sockets };
}

try {
  console.log(`bench:profile-memory — ${script.replace(`${tree.root}/`, '')}, ${narrow} vs ${wide} VUs holding sessions; ${tree.describe}; ${loadLine()}`);
  await warmEngine(tree.root);
  const small = await held(narrow);
  console.log(`  ${narrow} VUs: ${small.sockets} sessions open; live heap of the workers ${(small.heap.bytes / 2 ** 20).toFixed(1)} MiB; process RSS ${small.rssMiB.toFixed(0)} MiB`);
  const large = await held(wide);
  console.log(`  ${wide} VUs: ${large.sockets} sessions open; live heap of the workers ${(large.heap.bytes / 2 ** 20).toFixed(1)} MiB; process RSS ${large.rssMiB.toFixed(0)} MiB`);
  const added = wide - narrow;
  const heapPerVu = (large.heap.bytes - small.heap.bytes) / added;
  const rssPerVu = ((large.rssMiB - small.rssMiB) * 2 ** 20) / added;
  console.log(`\nper added VU holding a session: live JS heap ${(heapPerVu / 1024).toFixed(1)} KiB (${((large.heap.objects - small.heap.objects) / added).toFixed(0)} objects); process RSS at that moment ${(rssPerVu / 1024).toFixed(1)} KiB (not the peak, see bench:memory; this process holds the bench too), so about ${((rssPerVu - heapPerVu) / 1024).toFixed(1)} KiB outside the live heap`);
  console.log(`\n| bytes per VU | share of the live heap per VU | kind of object (V8 heap snapshot: type and constructor) |\n|---:|---:|---|`);
  const byKind = new Map<string, number>();
  for (const kind of new Set([...small.heap.byKind.keys(), ...large.heap.byKind.keys()])) byKind.set(kind, ((large.heap.byKind.get(kind) ?? 0) - (small.heap.byKind.get(kind) ?? 0)) / added);
  for (const [kind, bytes] of [...byKind].sort((a, b) => b[1] - a[1]).slice(0, kinds)) console.log(`| ${bytes.toFixed(0)} | ${((100 * bytes) / heapPerVu).toFixed(1)} % | ${kind} |`);
} finally {
  await target.stop();
  tree.remove();
}
