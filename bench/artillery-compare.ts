// Goal 4 (the engine's issue): ≥ 5× Artillery's sessions per CPU-second at N = 200. agent-sla's bundled journey on
// its engine against Artillery 2 running the same flow (bench/artillery/), at equal concurrency: N virtual users each
// open one session at once, so N sessions are in flight together. Agents are slowed (TARGET_AGENT_TIME_SCALE=0.5, a
// run takes about a second) so the sessions overlap. The hand-written script (bench/handwritten/journey.js) runs on
// the engine too, for scale. CPU is the user + system time of each tool's process tree (exact, at its exit), memory
// its peak RSS; tools alternate within a round, medians over rounds. Artillery (MPL-2.0) is installed from npm into
// .tools/artillery on first use (bench/support/artillery.ts).
//   npm run bench:artillery      (BENCH_CONCURRENCY=50,200 BENCH_ROUNDS=3)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../build/paths.ts';
import { artilleryVersion, ensureArtillery } from './support/artillery.ts';
import { runEngine, targetOf, warmEngine } from './support/engine.ts';
import { loadLine, median, range, runMeasured, type MeasuredRun } from './support/run-measured.ts';
import { snapshotTree } from './support/snapshot.ts';

const levels = (process.env.BENCH_CONCURRENCY ?? '50,200').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const goal = { at: 200, ratio: 5 };
const workDir = mkdtempSync(join(tmpdir(), 'bench-artillery-'));

interface Tool {
  name: string;
  run(concurrency: number, baseUrl: string): Promise<{ run: MeasuredRun; completed: number }>;
}

const tree = snapshotTree('bench-artillery');
const engineTool = (name: string, script: string, vars: Record<string, string>, completedMetric: string): Tool => ({
  name,
  async run(concurrency, baseUrl) {
    const run = await runEngine(tree.root, script, { vars: { ...vars, BASE_URL: baseUrl, VUS: String(concurrency), ITERATIONS: String(concurrency) }, timeoutMs: 5 * 60_000 });
    if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${run.stderr.slice(-1500)}`);
    return { run, completed: run.summary?.metrics[completedMetric]?.count ?? 0 };
  },
});

const artillery = ensureArtillery();
const tools: Tool[] = [
  engineTool('agent-sla journey (engine)', join(tree.root, 'dist', 'journey.js'), { PROFILE: 'smoke', PLANS: 'pro:1', SUMMARY_DIR: join(tree.root, 'reports'), RUN_TIMEOUT_MS: '60000' }, 'agent_runs_completed'),
  engineTool('hand-written (engine)', join(tree.root, 'bench', 'handwritten', 'journey.js'), {}, 'agent_response_duration'),
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

const { spawnTarget } = await targetOf(tree.root);
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.5', TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
const loads = [loadLine()];
type Row = { tool: string; concurrency: number; perCpuS: number; rssMiB: number; completed: number };
const rows: Row[] = [];
try {
  console.log(`bench:artillery — N = ${levels.join(', ')}, ${rounds} rounds; ${tree.describe}; ${cpus().length} CPUs; ${loads[0]}`);
  await warmEngine(tree.root);
  for (const concurrency of levels) {
    for (let round = 1; round <= rounds; round++) {
      for (const tool of round % 2 ? tools : [...tools].reverse()) {
        const { run, completed } = await tool.run(concurrency, target.url);
        rows.push({ tool: tool.name, concurrency, perCpuS: completed / run.cpuSeconds, rssMiB: run.peakRssMiB, completed });
        if (completed !== concurrency) throw new Error(`${tool.name} at N=${concurrency}: ${completed} of ${concurrency} sessions completed`);
        console.log(`  N=${concurrency} round ${round}  ${tool.name.padEnd(28)} ${completed}/${concurrency} sessions  ${run.cpuSeconds.toFixed(2)} CPU s  ${(completed / run.cpuSeconds).toFixed(1)} sessions/CPU s  peak RSS ${run.peakRssMiB.toFixed(0)} MiB  ${run.seconds.toFixed(1)} s`);
      }
      loads.push(loadLine());
    }
  }
} finally {
  await target.stop();
  rmSync(workDir, { recursive: true, force: true });
  tree.remove();
}

const at = (tool: string, concurrency: number, pick: (row: Row) => number): number =>
  median(rows.filter((row) => row.tool === tool && row.concurrency === concurrency).map(pick));
const all = (tool: string, concurrency: number, pick: (row: Row) => number): number[] => rows.filter((row) => row.tool === tool && row.concurrency === concurrency).map(pick);
const [ours, , theirs] = tools.map((tool) => tool.name);
console.log(`\n${new Date().toISOString()}; loads: ${loads.join(' | ')}`);
console.log('\n| tool | N | sessions per CPU-second | peak RSS MiB | MiB per concurrent VU |');
console.log('|---|---:|---:|---:|---:|');
for (const concurrency of levels) {
  for (const tool of tools) {
    const rss = at(tool.name, concurrency, (row) => row.rssMiB);
    console.log(`| ${tool.name} | ${concurrency} | ${at(tool.name, concurrency, (row) => row.perCpuS).toFixed(1)}${range(all(tool.name, concurrency, (row) => row.perCpuS), 1)} | ${rss.toFixed(0)} | ${(rss / concurrency).toFixed(2)} |`);
  }
}
const [low, high] = [Math.min(...levels), Math.max(...levels)];
const marginal = (tool: string): number => (at(tool, high, (row) => row.rssMiB) - at(tool, low, (row) => row.rssMiB)) / (high - low);
console.log('\n| at N | agent-sla ÷ Artillery, sessions per CPU-second | agent-sla ÷ Artillery, peak RSS |');
console.log('|---:|---:|---:|');
for (const concurrency of levels) {
  const speed = at(ours!, concurrency, (row) => row.perCpuS) / at(theirs!, concurrency, (row) => row.perCpuS);
  const memory = at(ours!, concurrency, (row) => row.rssMiB) / at(theirs!, concurrency, (row) => row.rssMiB);
  console.log(`| ${concurrency} | ${speed.toFixed(2)}×${concurrency === goal.at ? ` (goal ≥ ${goal.ratio}×: ${speed >= goal.ratio ? 'met' : 'NOT met'})` : ''} | ${memory.toFixed(2)}× |`);
}
if (high > low) console.log(`\nmarginal memory per added VU (N=${low}→${high}): ${tools.map((tool) => `${tool.name} ${marginal(tool.name).toFixed(2)} MiB`).join(', ')}`);
if (levels.includes(goal.at)) {
  const speed = at(ours!, goal.at, (row) => row.perCpuS) / at(theirs!, goal.at, (row) => row.perCpuS);
  console.log(`\nGoal 4, ≥ ${goal.ratio}× Artillery's sessions per CPU-second at N = ${goal.at}: ${speed.toFixed(2)}× → ${speed >= goal.ratio ? 'MET' : 'NOT met'}`);
}
