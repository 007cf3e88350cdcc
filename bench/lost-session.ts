// The lost-session check, long form (issue 14): many sessions of bench/handwritten/journey.js against a target as
// `npm run target` starts it (agents at time scale 0.05, 60 s idle timeout). A session whose first frame is lost waits
// for the idle timeout, so it shows as an iteration of about 60 s and as a run that was never answered.
// Passes when no iteration took 5 s or more and every session's run was answered; exits 1 otherwise.
//   npm run bench:lost-session      (BENCH_VUS=20 BENCH_SESSIONS=20000)
// It runs the k6 the project uses (`npm run setup`'s build, with the fix in build/k6/patches, unless K6_BIN says
// otherwise); BENCH_K6=stock builds and runs the same k6 without the patches, to show the race the fix removes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../build/paths.ts';
import { k6Binary } from '../test/support/k6.ts';
import { spawnTarget } from '../test/support/target.ts';
import { ensureStockK6 } from './support/stock-k6.ts';
import { runMeasured } from './support/run-measured.ts';

const vus = Number(process.env.BENCH_VUS ?? 20);
const sessions = Number(process.env.BENCH_SESSIONS ?? 20_000);
// A run's modelled time at scale 0.05 is about 50–100 ms; signup and login add tens of ms. 5 s is a generous margin
// that a session waiting for the 60 s idle timeout cannot meet.
const maxIterationMs = 5_000;

interface TrendStats { max: number; count: number; 'p(99.9)': number }
interface Summary { metrics: Record<string, Partial<TrendStats> | undefined> }

const k6 = process.env.BENCH_K6 === 'stock' ? await ensureStockK6() : k6Binary();
const workDir = mkdtempSync(join(tmpdir(), 'bench-lost-session-'));
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.05', TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
let failed = false;
try {
  console.log(`lost-session: ${sessions} sessions on ${vus} VUs, target ${target.url}, k6 ${k6}`);
  const summaryFile = join(workDir, 'summary.json');
  const run = await runMeasured(
    k6,
    ['run', '--quiet', '--no-color', '--no-usage-report', '--summary-trend-stats=max,p(99.9),count', `--summary-export=${summaryFile}`,
      join(repoRoot, 'bench', 'handwritten', 'journey.js')],
    { env: { BASE_URL: target.url, VUS: String(vus), ITERATIONS: String(sessions), K6_NO_USAGE_REPORT: 'true' }, timeoutMs: 30 * 60_000 },
  );
  if (run.code !== 0) throw new Error(`k6 exited ${run.code}: ${run.stderr.slice(-1500)}`);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
  const iterations = summary.metrics.iterations?.count ?? 0;
  const answered = summary.metrics.agent_response_duration?.count ?? 0;
  const iteration = summary.metrics.iteration_duration ?? {};
  const unanswered = iterations - answered;
  console.log(`  ${iterations} sessions in ${run.seconds.toFixed(1)} s; runs answered ${answered}, unanswered ${unanswered}`);
  console.log(`  iteration_duration p99.9 ${iteration['p(99.9)']?.toFixed(0)} ms, max ${iteration.max?.toFixed(0)} ms (limit ${maxIterationMs} ms)`);
  failed = iterations !== sessions || unanswered !== 0 || !(Number(iteration.max) < maxIterationMs);
  console.log(failed ? 'FAIL: at least one session stalled' : 'PASS: no session stalled');
} finally {
  await target.stop();
  rmSync(workDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
