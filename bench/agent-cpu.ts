// Goal 1 (the engine's issue): CPU per agent run ≤ 0.5× k6's. The agent-events bundle on the engine, 2,000 sessions of
// 2 runs on 20 VUs (4,000 runs) against the reference target with fast agents; CPU = the generator's user + system
// time (its whole process, worker threads included) ÷ runs. k6 can no longer be run here: its figure is the one the
// issue recorded on this machine, 1.69 ms per run (1.60–1.70; bench/RESULTS.md), so the goal is ≤ 0.85 ms.
// Three shapes, every job alternated within a round, medians over rounds:
//   large   VUS × SESSIONS iterations           whole-process CPU per run (start-up included: the issue's definition)
//   small   VUS × VUS iterations                steady state per run = (large − small) ÷ (runs large − runs small)
//   empty   an empty script, 1 VU × 1           the engine's own start-up (node, the CLI, the script, the workers)
// Start-up = small's CPU less its runs at the steady-state cost. The hand-written script (bench/handwritten/
// agent-events.js: the same requests and socket traffic, one Trend, no library) runs the same shapes on the engine,
// so ours ÷ hand-written is the library's share.
//   npm run bench:cpu     (BENCH_ROUNDS=3 BENCH_VUS=20 BENCH_SESSIONS=2000 BENCH_HAND=1 BENCH_SNAPSHOT=1)
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runEngine, targetOf, warmEngine, type Summary } from './support/engine.ts';
import { loadLine, median, range } from './support/run-measured.ts';
import { snapshotTree } from './support/snapshot.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const vus = Number(process.env.BENCH_VUS ?? 20);
const sessions = Number(process.env.BENCH_SESSIONS ?? 2000);
const runsPerSession = 2;
const k6 = { wholeMsPerRun: 1.69, range: '1.60–1.70' };
// 0.5 × 1.69 ms, as the issue rounds it.
const goalMsPerRun = 0.85;

type Shape = 'small' | 'large' | 'empty';
interface Job { script: 'ours' | 'hand-written' | 'empty'; shape: Shape }
interface Result { cpuSeconds: number; runs: number; seconds: number; rssMiB: number }

const tree = snapshotTree('bench-cpu');
const scripts = {
  ours: join(tree.root, 'dist', 'agent-events.js'),
  'hand-written': join(tree.root, 'bench', 'handwritten', 'agent-events.js'),
  empty: join(tree.root, 'bench', 'support', 'empty-script.js'),
};
writeFileSync(scripts.empty, 'export const options = { vus: 1, iterations: 1 };\nexport default function () {}\n');
const jobs: Job[] = [
  { script: 'ours', shape: 'small' }, { script: 'ours', shape: 'large' },
  ...(process.env.BENCH_HAND === '0' ? [] : [{ script: 'hand-written', shape: 'small' }, { script: 'hand-written', shape: 'large' }] as Job[]),
  { script: 'empty', shape: 'empty' },
];
const results = new Map<string, Result[]>();
const key = (job: Job): string => `${job.script}|${job.shape}`;
const runsOf = (job: Job, summary: Summary | undefined): number =>
  job.script === 'ours' ? summary?.metrics.agent_runs_completed?.count ?? 0
    : job.script === 'hand-written' ? summary?.metrics.agent_response_duration?.count ?? 0 : 0;

const { spawnTarget } = await targetOf(tree.root);
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.02', TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
const loads: string[] = [loadLine()];
try {
  console.log(`bench:cpu — ${tree.describe}; target ${target.url}; ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`small ${vus} VUs × ${vus} sessions, large ${vus} VUs × ${sessions} sessions, ${runsPerSession} runs each; ${rounds} rounds; ${loads[0]}`);
  console.log(`engine worker bundle ${await warmEngine(tree.root)}`);
  // One unmeasured run, so tsx's transform cache holds the copied tree before the first measured start-up.
  await runEngine(tree.root, scripts.empty, { timeoutMs: 120_000 });
  for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[(i + round - 1) % jobs.length]!;
      const iterations = job.shape === 'large' ? sessions : job.shape === 'small' ? vus : 1;
      const run = await runEngine(tree.root, scripts[job.script], {
        vars: job.script === 'empty' ? {} : {
          BASE_URL: target.url, VUS: String(job.shape === 'empty' ? 1 : vus), ITERATIONS: String(iterations), RUNS_PER_SESSION: String(runsPerSession),
          PROFILE: 'smoke', PLANS: 'pro:1', SUMMARY_DIR: join(tree.root, 'reports'),
        },
        timeoutMs: 15 * 60_000,
      });
      if (run.code !== 0) throw new Error(`${job.script} ${job.shape} exited ${run.code}:\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-1500)}`);
      const runs = runsOf(job, run.summary);
      const expected = job.script === 'empty' ? 0 : iterations * runsPerSession;
      if (runs !== expected) throw new Error(`${job.script} ${job.shape}: ${runs} runs completed of ${expected}: every run must be verified and complete`);
      const list = results.get(key(job)) ?? [];
      list.push({ cpuSeconds: run.cpuSeconds, runs, seconds: run.seconds, rssMiB: run.peakRssMiB });
      results.set(key(job), list);
      console.log(`  round ${round}  ${job.script.padEnd(12)} ${job.shape.padEnd(5)} ${String(runs).padStart(5)} runs  ${run.cpuSeconds.toFixed(2).padStart(6)} CPU s  ${runs ? `${((1000 * run.cpuSeconds) / runs).toFixed(2)} ms/run  ` : ''}peak RSS ${run.peakRssMiB.toFixed(0)} MiB  ${run.seconds.toFixed(1)} s wall`);
    }
    loads.push(loadLine());
    console.log(`  after round ${round}: ${loads.at(-1)}`);
  }
} finally {
  await target.stop();
  tree.remove();
}

const at = (script: Job['script'], shape: Shape): Result[] => results.get(`${script}|${shape}`) ?? [];
/** Per round, then the median. */
const perRound = (script: Job['script'], measure: (small: Result, large: Result) => number): number[] =>
  at(script, 'small').map((small, i) => measure(small, at(script, 'large')[i]!));
const steady = (small: Result, large: Result): number => (1000 * (large.cpuSeconds - small.cpuSeconds)) / (large.runs - small.runs);
const figures = (script: 'ours' | 'hand-written') => ({
  whole: perRound(script, (_s, large) => (1000 * large.cpuSeconds) / large.runs),
  steady: perRound(script, steady),
  startup: perRound(script, (small, large) => small.cpuSeconds - (small.runs * steady(small, large)) / 1000),
  wall: perRound(script, (_s, large) => large.seconds),
});
const ours = figures('ours');
const empty = at('empty', 'empty').map((r) => r.cpuSeconds);
console.log(`\n${new Date().toISOString()}, medians of ${rounds} rounds (range in brackets); loads: ${loads.join(' | ')}`);
console.log(`\n| agent-events on the engine, ${sessions * runsPerSession} runs on ${vus} VUs | whole process, ms per run | steady state, ms per run | start-up, CPU s | wall s (large) |`);
console.log('|---|---:|---:|---:|---:|');
const row = (name: string, f: ReturnType<typeof figures>): void =>
  console.log(`| ${name} | ${median(f.whole).toFixed(2)}${range(f.whole)} | ${median(f.steady).toFixed(2)}${range(f.steady)} | ${median(f.startup).toFixed(2)}${range(f.startup)} | ${median(f.wall).toFixed(1)} |`);
row('agent-sla `dist/agent-events.js`', ours);
let hand: ReturnType<typeof figures> | undefined;
if (at('hand-written', 'large').length) row('`bench/handwritten/agent-events.js`', (hand = figures('hand-written')));
console.log(`| empty script, 1 VU × 1 (the engine's start-up alone) | | | ${median(empty).toFixed(2)}${range(empty)} | |`);
console.log(`| k6 v2.2.0, as recorded on this machine (cannot be run again) | ${k6.wholeMsPerRun} (${k6.range}) | | | |`);
const ratio = median(ours.whole) / k6.wholeMsPerRun;
console.log(`\nGoal 1, CPU per agent run ≤ 0.5× k6's: ${median(ours.whole).toFixed(2)} ms ÷ ${k6.wholeMsPerRun} ms = ${ratio.toFixed(2)}× k6 (whole process, the issue's definition) → ${median(ours.whole) <= goalMsPerRun ? 'MET' : 'NOT met'} (goal ≤ ${goalMsPerRun.toFixed(2)} ms)`);
const steadyRatio = median(ours.steady) / k6.wholeMsPerRun; // against 0.5: the goal
console.log(`  steady state alone: ${median(ours.steady).toFixed(2)} ms = ${steadyRatio.toFixed(2)}× k6's whole-process figure → ${steadyRatio <= 0.5 ? 'within' : 'NOT within'} the goal even without start-up`);
console.log(`  start-up: ${median(ours.startup).toFixed(2)} CPU s = ${((1000 * median(ours.startup)) / (sessions * runsPerSession)).toFixed(2)} ms per run of this test`);
if (hand) {
  const share = median(ours.steady) / median(hand.steady);
  console.log(`  ours ÷ hand-written (steady state, both on the engine): ${share.toFixed(2)}×; whole process ${(median(ours.whole) / median(hand.whole)).toFixed(2)}×`);
}
