// Benchmark 2: agent-sla (bundled journey on k6) against Artillery 2 running the same flow (bench/artillery/), at equal
// concurrency: N virtual users each open one session at once, so N sessions are in flight together. Agents are slowed
// (TARGET_AGENT_TIME_SCALE=0.5, a run takes about a second) so the sessions overlap. The hand-written k6 script runs too,
// for scale. Prints sessions per CPU-second and memory per concurrent VU, and ours against Artillery's.
// Goals: ≥ 3× Artillery's sessions per CPU-second, ≤ ⅓ of its memory per VU.
//   npm run bench:artillery      (BENCH_CONCURRENCY=50,200 BENCH_ROUNDS=2)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../build/paths.ts';
import { bundlePath, k6Binary } from '../test/support/k6.ts';
import { spawnTarget } from '../test/support/target.ts';
import { artilleryVersion, ensureArtillery } from './support/artillery.ts';
import { median, runMeasured, type MeasuredRun } from './support/run-measured.ts';

const levels = (process.env.BENCH_CONCURRENCY ?? '50,200').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const workDir = mkdtempSync(join(tmpdir(), 'bench-artillery-'));

interface Tool {
  name: string;
  run(concurrency: number, baseUrl: string): Promise<{ run: MeasuredRun; completed: number }>;
}

const k6Tool = (name: string, script: string, env: Record<string, string>, completedMetric: string): Tool => ({
  name,
  async run(concurrency, baseUrl) {
    const summary = join(workDir, 'k6-summary.json');
    const run = await runMeasured(
      k6Binary(),
      ['run', '--quiet', '--no-color', '--no-usage-report', '--summary-trend-stats=avg,p(95),count', `--summary-export=${summary}`, script],
      { env: { ...env, BASE_URL: baseUrl, VUS: String(concurrency), ITERATIONS: String(concurrency), K6_NO_USAGE_REPORT: 'true' }, timeoutMs: 5 * 60_000 },
    );
    if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${run.stderr.slice(-1500)}`);
    const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { count?: number }> }).metrics;
    return { run, completed: metrics[completedMetric]?.count ?? 0 };
  },
});

const artillery = ensureArtillery();
const tools: Tool[] = [
  k6Tool('agent-sla journey (k6)', bundlePath('journey'), { PROFILE: 'smoke', PLANS: 'pro:1', SUMMARY_DIR: workDir, RUN_TIMEOUT_MS: '60000' }, 'agent_runs_completed'),
  k6Tool('hand-written k6', join(repoRoot, 'bench', 'handwritten', 'journey.js'), {}, 'agent_response_duration'),
  {
    name: `Artillery ${artilleryVersion}`,
    async run(concurrency, baseUrl) {
      const report = join(workDir, 'artillery.json');
      const overrides = JSON.stringify({ config: { phases: [{ duration: 1, arrivalCount: concurrency }] } });
      const run = await runMeasured(
        artillery,
        ['run', '--quiet', '--target', `${baseUrl.replace(/^http/, 'ws')}/ws`, '--overrides', overrides, '--output', report, join(repoRoot, 'bench', 'artillery', 'journey.yml')],
        { env: { BASE_URL: baseUrl, ARTILLERY_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: '1' }, timeoutMs: 5 * 60_000 },
      );
      if (run.code !== 0) throw new Error(`artillery exited ${run.code}: ${run.stderr.slice(-1500)}`);
      const counters = (JSON.parse(readFileSync(report, 'utf8')) as { aggregate: { counters: Record<string, number> } }).aggregate.counters;
      return { run, completed: counters.agent_runs_completed ?? 0 };
    },
  },
];

const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.5', TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
type Row = { tool: string; concurrency: number; perCpuS: number; rssMiB: number; completed: number };
const rows: Row[] = [];
try {
  for (const concurrency of levels) {
    for (let round = 1; round <= rounds; round++) {
      for (const tool of round % 2 ? tools : [...tools].reverse()) {
        const { run, completed } = await tool.run(concurrency, target.url);
        rows.push({ tool: tool.name, concurrency, perCpuS: completed / run.cpuSeconds, rssMiB: run.peakRssMiB, completed });
        console.log(`  N=${concurrency} round ${round}  ${tool.name.padEnd(24)} ${completed}/${concurrency} sessions  ${run.cpuSeconds.toFixed(2)} CPU s  ${(completed / run.cpuSeconds).toFixed(1)} sessions/CPU s  peak RSS ${run.peakRssMiB.toFixed(0)} MiB  ${run.seconds.toFixed(1)} s`);
      }
    }
  }
} finally {
  await target.stop();
  rmSync(workDir, { recursive: true, force: true });
}

const at = (tool: string, concurrency: number, pick: (row: Row) => number): number =>
  median(rows.filter((row) => row.tool === tool && row.concurrency === concurrency).map(pick));
const [ours, , theirs] = tools.map((tool) => tool.name);
console.log('\n| tool | N | sessions per CPU-second | peak RSS MiB | MiB per concurrent VU |');
console.log('|---|---:|---:|---:|---:|');
for (const concurrency of levels) {
  for (const tool of tools) {
    const rss = at(tool.name, concurrency, (row) => row.rssMiB);
    console.log(`| ${tool.name} | ${concurrency} | ${at(tool.name, concurrency, (row) => row.perCpuS).toFixed(1)} | ${rss.toFixed(0)} | ${(rss / concurrency).toFixed(2)} |`);
  }
}
const [low, high] = [Math.min(...levels), Math.max(...levels)];
const marginal = (tool: string): number => (at(tool, high, (row) => row.rssMiB) - at(tool, low, (row) => row.rssMiB)) / (high - low);
console.log('\n| at N | agent-sla ÷ Artillery, sessions per CPU-second (goal ≥ 3) | agent-sla ÷ Artillery, memory per VU (goal ≤ 0.33) |');
console.log('|---:|---:|---:|');
for (const concurrency of levels) {
  const speed = at(ours!, concurrency, (row) => row.perCpuS) / at(theirs!, concurrency, (row) => row.perCpuS);
  const memory = at(ours!, concurrency, (row) => row.rssMiB) / at(theirs!, concurrency, (row) => row.rssMiB);
  console.log(`| ${concurrency} | ${speed.toFixed(2)}× ${speed >= 3 ? 'met' : 'NOT met'} | ${memory.toFixed(2)}× ${memory <= 1 / 3 ? 'met' : 'NOT met'} |`);
}
if (high > low) {
  console.log(`\nmarginal memory per added VU (N=${low}→${high}): ${tools.map((tool) => `${tool.name} ${marginal(tool.name).toFixed(2)} MiB`).join(', ')}`);
}
