// Where the engine spends CPU on the agent-events workload, per agent run: the goal-1 shape (VUS × SESSIONS sessions
// of 2 runs against the reference target, agents at time scale 0.02), run once small (VUS × VUS) and once large under
// a sampling profiler. Steady state per run is (large − small) ÷ (runs large − runs small), per category and per
// function, so the start-up cancels; start-up is the small run less its runs at that cost.
// Two profilers (bench/support/cpu-profile.ts says what each sees):
//   PROFILER=perf      Linux perf on node --perf-basic-prof: on-CPU samples of every thread, the kernel's share and
//                      V8's background threads included (the default when perf is installed)
//   PROFILER=cpu-prof  node --cpu-prof: one .cpuprofile per thread, exact JavaScript stacks, but wall time per thread
//                      (a thread blocked or descheduled still collects samples: on a busy machine, read shares only)
// Either way frames are mapped to the TypeScript sources and each sample is charged to the nearest frame of ours.
//   npm run bench:profile   (PROFILE_SCRIPT=ours|hand-written|path.js PROFILE_VUS=20 PROFILE_SESSIONS=2000
//                            PROFILE_TOP=30 PROFILE_KEEP=dir keeps the profiles and the frozen tree)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { difference, registerPreparedScript, summariseProfiles, summarisePerf, top, type ProfileSummary } from './support/cpu-profile.ts';
import { runEngine, targetOf, warmEngine } from './support/engine.ts';
import { loadLine } from './support/run-measured.ts';
import { snapshotTree } from './support/snapshot.ts';

const vus = Number(process.env.PROFILE_VUS ?? 20);
const sessions = Number(process.env.PROFILE_SESSIONS ?? 2000);
const count = Number(process.env.PROFILE_TOP ?? 30);
const which = process.env.PROFILE_SCRIPT ?? 'ours';
const hasPerf = ((): boolean => {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const profiler = process.env.PROFILER ?? (hasPerf ? 'perf' : 'cpu-prof');
const perfHz = 499;
const runsPerSession = 2;

const tree = snapshotTree('bench-profile');
const script = which === 'ours' ? join(tree.root, 'dist', 'agent-events.js')
  : which === 'hand-written' ? join(tree.root, 'bench', 'handwritten', 'agent-events.js') : which;
const keep = process.env.PROFILE_KEEP;
const profileRoot = keep ?? mkdtempSync(join(tmpdir(), 'bench-profile-'));
const { spawnTarget } = await targetOf(tree.root);
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.02', TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' } });
const measured = {} as Record<'small' | 'large', { summary: ProfileSummary; runs: number; cpuSeconds: number }>;
const perfMaps: string[] = [];
try {
  console.log(`bench:profile — ${profiler}, ${script.replace(`${tree.root}/`, '')}, ${tree.describe}; ${loadLine()}`);
  await warmEngine(tree.root);
  const vars = (iterations: number): Record<string, string> => ({
    BASE_URL: target.url, VUS: String(Math.min(vus, iterations)), ITERATIONS: String(iterations), RUNS_PER_SESSION: String(runsPerSession),
    PROFILE: 'smoke', PLANS: 'pro:1', SUMMARY_DIR: join(tree.root, 'reports'),
  });
  await runEngine(tree.root, script, { vars: vars(1), timeoutMs: 120_000 });
  for (const shape of ['small', 'large'] as const) {
    const dir = join(profileRoot, shape);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const perfData = join(dir, 'perf.data');
    const run = await runEngine(tree.root, script, {
      vars: vars(shape === 'small' ? vus : sessions),
      ...(profiler === 'perf'
        ? { wrap: ['perf', 'record', '-q', '-F', String(perfHz), '-g', '-o', perfData, '--'], nodeArgs: ['--perf-basic-prof-only-functions', '--interpreted-frames-native-stack'] }
        : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] }),
      timeoutMs: 20 * 60_000,
    });
    if (run.code !== 0) throw new Error(`${shape} exited ${run.code}: ${run.stderr.slice(-1500)}`);
    const runs = run.summary?.metrics.agent_runs_completed?.count ?? run.summary?.metrics.agent_response_duration?.count ?? 0;
    await registerPreparedScript(script, tree.root);
    let summary: ProfileSummary;
    if (profiler === 'perf') {
      summary = summarisePerf(perfData, perfHz);
      perfMaps.push(...readdirSync(tmpdir()).filter((name) => /^perf-\d+\.map$/.test(name)).map((name) => join(tmpdir(), name)));
    } else summary = summariseProfiles(readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).map((name) => join(dir, name)));
    measured[shape] = { summary, runs, cpuSeconds: run.cpuSeconds };
    console.log(`  ${shape}: ${runs} runs, ${run.cpuSeconds.toFixed(2)} CPU s under the profiler (${((1000 * run.cpuSeconds) / Math.max(1, runs)).toFixed(2)} ms/run)`);
  }
} finally {
  await target.stop();
  // A kept profile keeps its tree too: the source maps of the worker bundle and the script are read from it.
  if (!keep) {
    tree.remove();
    rmSync(profileRoot, { recursive: true, force: true });
  } else console.log(`  profiles kept in ${profileRoot}, the tree in ${tree.root}`);
  // node --perf-basic-prof leaves its symbol map in the temporary directory; perf has read it by now.
  if (!keep) for (const map of new Set(perfMaps)) rmSync(map, { force: true });
}

const { small, large } = measured;
const delta = large.runs - small.runs;
const steadyTotal = (large.summary.totalUs - small.summary.totalUs) / delta;
const startupTotal = small.summary.totalUs - small.runs * steadyTotal;
const print = (title: string, map: Map<string, number>, total: number, unit: string): void => {
  console.log(`\n${title}\n| ${unit} | share | |\n|---:|---:|---|`);
  for (const [name, value] of top(map, count)) console.log(`| ${value.toFixed(1)} | ${((100 * value) / total).toFixed(1)} % | ${name} |`);
};
console.log(`\nsampled CPU: small ${(small.summary.totalUs / 1e6).toFixed(2)} s, large ${(large.summary.totalUs / 1e6).toFixed(2)} s; steady state ${steadyTotal.toFixed(0)} µs per run, start-up ${(startupTotal / 1e6).toFixed(2)} s`);
const steady = (map: 'category' | 'owner' | 'ownerByFile' | 'self' | 'inclusive' | 'byThread'): Map<string, number> => difference(large.summary[map], small.summary[map], delta);
print('Steady state per run, by what the work is for', steady('category'), steadyTotal, 'µs per run');
const steadyCategories = steady('category');
console.log('\nInside the largest categories, steady state µs per run: by the nearest function of ours | by the frame on top of the stack');
for (const [category, total] of top(steadyCategories, Number(process.env.PROFILE_DETAIL ?? 8))) {
  const inside = (map: 'categoryOwner' | 'categorySelf'): Array<[string, number]> =>
    top(difference(large.summary[map].get(category) ?? new Map(), small.summary[map].get(category) ?? new Map(), delta), 6);
  console.log(`\n${category}: ${total.toFixed(1)} µs per run`);
  for (const [name, value] of inside('categoryOwner')) console.log(`  ${value.toFixed(1).padStart(7)}  ${name}`);
  console.log('  —');
  for (const [name, value] of inside('categorySelf')) console.log(`  ${value.toFixed(1).padStart(7)}  ${name}`);
}
print('Steady state per run, by the file of the nearest frame of ours', steady('ownerByFile'), steadyTotal, 'µs per run');
print('Steady state per run, by the nearest function of ours', steady('owner'), steadyTotal, 'µs per run');
print('Steady state per run, by self time (the frame on top of the stack)', steady('self'), steadyTotal, 'µs per run');
print('Steady state per run, inclusive', steady('inclusive'), steadyTotal, 'µs per run');
const steadyCategory = steady('category');
const startup = new Map([...small.summary.category].map(([name, us]) => [name, (us - small.runs * (steadyCategory.get(name) ?? 0)) / 1000]));
print(`Start-up (the small run less its ${small.runs} runs at the steady cost), by category`, startup, startupTotal / 1000, 'ms in all');
