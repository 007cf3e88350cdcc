// Benchmark 1: our bundled journey scenario against the leanest hand-written k6 script of the same flow
// (bench/handwritten/journey.js), in alternation against one target. Prints CPU-seconds per completed session and
// peak RSS of the k6 process, and ours ÷ hand-written. Goal: ≤ 1.10× on both. The hand-written script also runs with
// BILLING=1 (our journey's two billing reads added), which shows how much of the gap is those requests.
//   npm run bench:k6      (BENCH_VUS=20 BENCH_SESSIONS=300 BENCH_ROUNDS=3)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../build/paths.ts';
import { k6Binary, bundlePath } from '../test/support/k6.ts';
import { spawnTarget } from '../test/support/target.ts';
import { median, runMeasured, type MeasuredRun } from './support/run-measured.ts';

const vus = Number(process.env.BENCH_VUS ?? 20);
const sessions = Number(process.env.BENCH_SESSIONS ?? 300);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const goal = 1.1;

interface Variant {
  name: string;
  script: string;
  env: Record<string, string>;
  /** Sessions whose agent run completed, from k6's summary export. */
  completed(summary: Summary): number;
}
interface Summary { metrics: Record<string, Record<string, number> | undefined> }

const workDir = mkdtempSync(join(tmpdir(), 'bench-k6-overhead-'));
const variants: Variant[] = [
  {
    name: 'agent-sla journey (bundled)',
    script: bundlePath('journey'),
    env: { PROFILE: 'smoke', PLANS: 'pro:1', SUMMARY_DIR: workDir },
    completed: (summary) => summary.metrics.agent_runs_completed?.count ?? 0,
  },
  {
    name: 'hand-written journey.js',
    script: join(repoRoot, 'bench', 'handwritten', 'journey.js'),
    env: {},
    completed: (summary) => summary.metrics.agent_response_duration?.count ?? 0,
  },
  {
    // Not the goal's baseline: the same script plus our journey's two billing reads, to split the gap into the cost of
    // those requests and the cost of the library (validation, checks, metrics).
    name: 'hand-written + billing reads',
    script: join(repoRoot, 'bench', 'handwritten', 'journey.js'),
    env: { BILLING: '1' },
    completed: (summary) => summary.metrics.agent_response_duration?.count ?? 0,
  },
];

// Fast agents, so the run measures the load generator's own work rather than its waiting.
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.02', TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
const results = new Map<string, { run: MeasuredRun; completed: number }[]>(variants.map((variant) => [variant.name, []]));
try {
  console.log(`k6-overhead: ${vus} VUs, ${sessions} sessions per run, ${rounds} rounds, target ${target.url}`);
  for (let round = 1; round <= rounds; round++) {
    // Each round starts with a different variant, so none always runs first after a pause.
    for (const variant of variants.map((_, i) => variants[(i + round - 1) % variants.length]!)) {
      const summaryFile = join(workDir, 'summary.json');
      const run = await runMeasured(
        k6Binary(),
        ['run', '--quiet', '--no-color', '--no-usage-report', '--summary-trend-stats=avg,p(95),count', `--summary-export=${summaryFile}`, variant.script],
        { env: { ...variant.env, BASE_URL: target.url, VUS: String(vus), ITERATIONS: String(sessions), K6_NO_USAGE_REPORT: 'true' }, timeoutMs: 10 * 60_000 },
      );
      if (run.code !== 0) throw new Error(`${variant.name} exited ${run.code}: ${run.stderr.slice(-1500)}`);
      const completed = variant.completed(JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary);
      results.get(variant.name)!.push({ run, completed });
      console.log(`  round ${round}  ${variant.name.padEnd(28)} ${completed} sessions  ${run.cpuSeconds.toFixed(2)} CPU s  ${(1000 * run.cpuSeconds / completed).toFixed(2)} CPU ms/session  peak RSS ${run.peakRssMiB.toFixed(0)} MiB  ${run.seconds.toFixed(1)} s`);
    }
  }
} finally {
  await target.stop();
  rmSync(workDir, { recursive: true, force: true });
}

const [ours, hand, handBilling] = variants.map((variant) => results.get(variant.name)!);
const cpuPerSession = (entries: typeof ours) => median(entries!.map((entry) => (1000 * entry.run.cpuSeconds) / entry.completed));
const peak = (entries: typeof ours) => median(entries!.map((entry) => entry.run.peakRssMiB));
const cpuRatio = cpuPerSession(ours) / cpuPerSession(hand);
const rssRatio = peak(ours) / peak(hand);
const sameRequestsCpu = cpuPerSession(ours) / cpuPerSession(handBilling);
const sameRequestsRss = peak(ours) / peak(handBilling);
console.log('\n| | CPU ms per completed session (median) | peak RSS MiB (median) |');
console.log('|---|---:|---:|');
for (const variant of variants) {
  const entries = results.get(variant.name)!;
  console.log(`| ${variant.name} | ${cpuPerSession(entries).toFixed(2)} | ${peak(entries).toFixed(0)} |`);
}
console.log(`| ours ÷ hand-written (goal ≤ ${goal}) | ${cpuRatio.toFixed(2)}× ${cpuRatio <= goal ? 'met' : 'NOT met'} | ${rssRatio.toFixed(2)}× ${rssRatio <= goal ? 'met' : 'NOT met'} |`);
console.log(`| ours ÷ hand-written + billing reads (same requests; not the goal) | ${sameRequestsCpu.toFixed(2)}× | ${sameRequestsRss.toFixed(2)}× |`);
