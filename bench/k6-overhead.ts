// Benchmark 1: the library's own cost in k6 (issue 15). For agent-events and journey, our bundle against a hand-written
// k6 script making the same requests and socket traffic (bench/handwritten/), alternating, against one target.
// Three shapes per script separate VU start from steady state:
//   small  V VUs, V iterations        (one iteration per VU)
//   large  V VUs, S iterations        steady-state CPU per run = (large − small) ÷ (runs large − runs small)
//   wide   W VUs, W iterations        per added VU: memory = (peak RSS wide − small) ÷ (W − V); init CPU = the CPU
//                                     difference less the extra runs at the steady-state cost, ÷ (W − V)
// Bench builds of our bundles with one part of the hot path off each (lib/bench-switches.ts) give the bisection table.
//   npm run bench:k6   (BENCH_VUS=20 BENCH_SESSIONS=300 BENCH_WIDE_VUS=120 BENCH_ROUNDS=3 BENCH_BISECT=1;
//                       BENCH_BASELINE_DIR=path/to/dist adds the agent-events.js and journey.js built at an older commit,
//                       BENCH_BASELINE_NAME names that commit in the tables)
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildOptions } from '../build/bundle.ts';
import { repoRoot } from '../build/paths.ts';
import { BENCH_SWITCHES } from '../lib/bench-switches.ts';
import { k6Binary, bundlePath } from '../test/support/k6.ts';
import { spawnTarget } from '../test/support/target.ts';
import { median, runMeasured, type MeasuredRun } from './support/run-measured.ts';

const vus = Number(process.env.BENCH_VUS ?? 20);
const sessions = Number(process.env.BENCH_SESSIONS ?? 300);
const wideVus = Number(process.env.BENCH_WIDE_VUS ?? 120);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const bisect = process.env.BENCH_BISECT !== '0';
const goals = { cpu: 1.1, memory: 1.25 };

interface Summary { metrics: Record<string, Record<string, number> | undefined> }
type Shape = 'small' | 'large' | 'wide';
interface Script {
  name: string;
  path: string;
  env: Record<string, string>;
  /** Agent runs that completed, from k6's summary export. */
  runs(summary: Summary): number;
  shapes: readonly Shape[];
  role: 'ours' | 'hand' | 'baseline' | 'bisect';
}
interface Flow { name: 'agent-events' | 'journey'; scripts: Script[] }

const workDir = mkdtempSync(join(tmpdir(), 'bench-k6-overhead-'));
const allShapes: readonly Shape[] = ['small', 'large', 'wide'];
const oursEnv = { PROFILE: 'smoke', PLANS: 'pro:1', SUMMARY_DIR: workDir };
const oursRuns = (summary: Summary) => summary.metrics.agent_runs_completed?.count ?? 0;
const handRuns = (summary: Summary) => summary.metrics.agent_response_duration?.count ?? 0;

/** Our bundle built with AGENT_SLA_BENCH_OFF set, into the work directory. */
async function benchBuild(flow: Flow['name'], off: string): Promise<string> {
  const options = esbuildOptions([]);
  const outdir = join(workDir, `off-${off}`);
  await esbuild.build({ ...options, entryPoints: { [flow]: join(repoRoot, 'scenarios', `${flow}.ts`) }, outdir, define: { AGENT_SLA_BENCH_OFF: JSON.stringify(off) } });
  return join(outdir, `${flow}.js`);
}

const flows: Flow[] = [];
for (const name of ['agent-events', 'journey'] as const) {
  const scripts: Script[] = [
    { name: `agent-sla ${name}`, path: bundlePath(name), env: oursEnv, runs: oursRuns, shapes: allShapes, role: 'ours' },
    // journey's hand-written script also makes our journey's two billing reads: the same requests.
    { name: `hand-written ${name}.js`, path: join(repoRoot, 'bench', 'handwritten', `${name}.js`), env: name === 'journey' ? { BILLING: '1' } : {}, runs: handRuns, shapes: allShapes, role: 'hand' },
  ];
  if (process.env.BENCH_BASELINE_DIR) {
    const commit = process.env.BENCH_BASELINE_NAME ?? 'the baseline commit';
    scripts.push({ name: `${name} at ${commit}`, path: join(process.env.BENCH_BASELINE_DIR, `${name}.js`), env: oursEnv, runs: oursRuns, shapes: allShapes, role: 'baseline' });
  }
  if (bisect) {
    for (const off of BENCH_SWITCHES) {
      scripts.push({ name: `${name} without ${off}`, path: await benchBuild(name, off), env: oursEnv, runs: oursRuns, shapes: ['small', 'large'], role: 'bisect' });
    }
  }
  flows.push({ name, scripts });
}

const shapeArgs = (shape: Shape): { vus: number; iterations: number } =>
  shape === 'small' ? { vus, iterations: vus } : shape === 'large' ? { vus, iterations: sessions } : { vus: wideVus, iterations: wideVus };

// Fast agents, so the runs measure the load generator's own work rather than its waiting.
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.02', TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
const results = new Map<string, { run: MeasuredRun; runs: number }[]>();
const key = (script: Script, shape: Shape) => `${script.name}|${shape}`;
try {
  console.log(`k6-overhead: small ${vus} VUs × ${vus} iterations, large ${vus} VUs × ${sessions}, wide ${wideVus} VUs × ${wideVus}; ${rounds} rounds; target ${target.url}`);
  const jobs = flows.flatMap((flow) => flow.scripts.flatMap((script) => script.shapes.map((shape) => ({ script, shape }))));
  for (let round = 1; round <= rounds; round++) {
    // Each round starts at a different job, so none always runs first after a pause.
    for (let i = 0; i < jobs.length; i++) {
      const { script, shape } = jobs[(i + round - 1) % jobs.length]!;
      const { vus: n, iterations } = shapeArgs(shape);
      const summaryFile = join(workDir, 'summary.json');
      const run = await runMeasured(
        k6Binary(),
        ['run', '--quiet', '--no-color', '--no-usage-report', '--summary-trend-stats=avg,count', `--summary-export=${summaryFile}`, script.path],
        { env: { ...script.env, BASE_URL: target.url, VUS: String(n), ITERATIONS: String(iterations), K6_NO_USAGE_REPORT: 'true' }, timeoutMs: 10 * 60_000 },
      );
      if (run.code !== 0) throw new Error(`${script.name} (${shape}) exited ${run.code}: ${run.stderr.slice(-1500)}`);
      const runs = script.runs(JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary);
      const list = results.get(key(script, shape)) ?? [];
      list.push({ run, runs });
      results.set(key(script, shape), list);
      console.log(`  round ${round}  ${script.name.padEnd(34)} ${shape.padEnd(5)} ${String(runs).padStart(4)} runs  ${run.cpuSeconds.toFixed(2)} CPU s  peak RSS ${run.peakRssMiB.toFixed(0)} MiB  ${run.seconds.toFixed(1)} s`);
    }
  }
} finally {
  await target.stop();
  rmSync(workDir, { recursive: true, force: true });
}

/** Per round (paired small/large/wide runs of the same round), then the median over rounds. */
function perRound(script: Script, measure: (small: { run: MeasuredRun; runs: number }, other: { run: MeasuredRun; runs: number }, steady: number) => number, other: Shape): number {
  const small = results.get(key(script, 'small'))!;
  const large = results.get(key(script, 'large'))!;
  const others = results.get(key(script, other))!;
  return median(small.map((s, i) => measure(s, others[i]!, (1000 * (large[i]!.run.cpuSeconds - s.run.cpuSeconds)) / (large[i]!.runs - s.runs))));
}
const steadyMs = (script: Script) => perRound(script, (s, l) => (1000 * (l.run.cpuSeconds - s.run.cpuSeconds)) / (l.runs - s.runs), 'large');
const initMs = (script: Script) => perRound(script, (s, w, steady) => (1000 * (w.run.cpuSeconds - s.run.cpuSeconds) - steady * (w.runs - s.runs)) / (wideVus - vus), 'wide');
const memoryMiB = (script: Script) => perRound(script, (s, w) => (w.run.peakRssMiB - s.run.peakRssMiB) / (wideVus - vus), 'wide');
const verdict = (ratio: number, goal: number) => `${ratio.toFixed(2)}× ${ratio <= goal ? 'met' : 'NOT met'} (goal ≤ ${goal})`;

console.log(`\n${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, k6 run in alternation; medians over ${rounds} rounds.`);
for (const flow of flows) {
  const ours = flow.scripts.find((s) => s.role === 'ours')!;
  const hand = flow.scripts.find((s) => s.role === 'hand')!;
  console.log(`\n${flow.name}\n\n| script | steady CPU ms per run | init CPU ms per VU | memory MiB per VU |\n|---|---:|---:|---:|`);
  for (const script of flow.scripts.filter((s) => s.role !== 'bisect')) {
    console.log(`| ${script.name} | ${steadyMs(script).toFixed(2)} | ${initMs(script).toFixed(1)} | ${memoryMiB(script).toFixed(2)} |`);
  }
  console.log(`| ours ÷ hand-written | ${verdict(steadyMs(ours) / steadyMs(hand), goals.cpu)} | ${(initMs(ours) / initMs(hand)).toFixed(2)}× | ${verdict(memoryMiB(ours) / memoryMiB(hand), goals.memory)} |`);
  const baseline = flow.scripts.find((s) => s.role === 'baseline');
  if (baseline) console.log(`| ours ÷ ${baseline.name.replace(`${flow.name} at `, '')} | ${(steadyMs(ours) / steadyMs(baseline)).toFixed(2)}× | ${(initMs(ours) / initMs(baseline)).toFixed(2)}× | ${(memoryMiB(ours) / memoryMiB(baseline)).toFixed(2)}× |`);
  const cuts = flow.scripts.filter((s) => s.role === 'bisect');
  if (cuts.length === 0) continue;
  console.log(`\n| ${flow.name}: bench build with … off | steady CPU ms per run | saved vs ours | left over hand-written |\n|---|---:|---:|---:|`);
  console.log(`| (nothing: ours) | ${steadyMs(ours).toFixed(2)} | | ${(steadyMs(ours) - steadyMs(hand)).toFixed(2)} |`);
  for (const script of cuts) {
    const ms = steadyMs(script);
    console.log(`| ${script.name.replace(`${flow.name} without `, '')} | ${ms.toFixed(2)} | ${(steadyMs(ours) - ms).toFixed(2)} | ${(ms - steadyMs(hand)).toFixed(2)} |`);
  }
}
