// The lost-session check, long form: many sessions of bench/handwritten/journey.js against a target as
// `npm run target` starts it (agents at time scale 0.05, 60 s idle timeout), on agent-sla's engine. k6 v2.2.0 lost
// the target's first frame (connection_established) about once in 2,000 sessions (bench/RESULTS.md, "Lost sessions":
// its WebSocket client started reading before it was OPEN); such a session waits for the idle timeout, so it shows as
// an iteration of about 60 s and a run never answered. On the engine the count must be 0.
// Passes when no iteration took 5 s or more and every session's run was answered; exits 1 otherwise.
//   npm run bench:lost-session      (BENCH_VUS=20 BENCH_SESSIONS=20000)
import { join } from 'node:path';
import { runEngine, targetOf, warmEngine } from './support/engine.ts';
import { loadLine } from './support/run-measured.ts';
import { snapshotTree } from './support/snapshot.ts';

const vus = Number(process.env.BENCH_VUS ?? 20);
const sessions = Number(process.env.BENCH_SESSIONS ?? 20_000);
// A run's modelled time at scale 0.05 is about 50–100 ms; signup and login add tens of ms. 5 s is a generous margin
// that a session waiting for the 60 s idle timeout cannot meet.
const maxIterationMs = 5_000;

const tree = snapshotTree('bench-lost-session');
const { spawnTarget } = await targetOf(tree.root);
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.05', TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
let failed = false;
try {
  console.log(`bench:lost-session — ${sessions} sessions on ${vus} VUs, target ${target.url}; ${tree.describe}; ${loadLine()}`);
  await warmEngine(tree.root);
  const run = await runEngine(tree.root, join(tree.root, 'bench', 'handwritten', 'journey.js'), {
    vars: { BASE_URL: target.url, VUS: String(vus), ITERATIONS: String(sessions) },
    timeoutMs: 30 * 60_000,
  });
  if (run.code !== 0) throw new Error(`the engine exited ${run.code}: ${run.stderr.slice(-1500)}`);
  const metrics = run.summary?.metrics ?? {};
  const iterations = metrics.iterations?.count ?? 0;
  const answered = metrics.agent_response_duration?.count ?? 0;
  const iteration = metrics.iteration_duration ?? {};
  const unanswered = iterations - answered;
  console.log(`  ${iterations} sessions in ${run.seconds.toFixed(1)} s (${run.cpuSeconds.toFixed(1)} CPU s, ${((1000 * run.cpuSeconds) / Math.max(1, iterations)).toFixed(2)} ms per session); runs answered ${answered}, unanswered ${unanswered}`);
  console.log(`  iteration_duration p99.9 ${iteration['p(99.9)']?.toFixed(0)} ms, max ${iteration.max?.toFixed(0)} ms (limit ${maxIterationMs} ms); ${loadLine()}`);
  failed = iterations !== sessions || unanswered !== 0 || !(Number(iteration.max) < maxIterationMs);
  console.log(failed ? 'FAIL: at least one session stalled' : `PASS: no session stalled (k6 v2.2.0 lost 9 of 20,000 here)`);
} finally {
  await target.stop();
  tree.remove();
}
process.exitCode = failed ? 1 : 0;
