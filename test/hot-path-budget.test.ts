import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { esbuildOptions, listEntries } from '../build/bundle.ts';
import { repoRoot } from '../build/paths.ts';
import { bundlePath, runK6 } from './support/k6.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

/**
 * Issue 15's guard against the library's cost creeping back, without a clock: every VU evaluates the
 * whole bundle, so its size bounds init CPU and memory per VU; and the samples the library writes per
 * run are counted on a fixed run (k6 --out json), where one per frame and one per text delta are the
 * budget and everything else per run is capped.
 */

/** The largest scenario bundle measured 69.1 KiB with four dialects (2026-11-27); a little headroom, no more. */
const BUNDLE_CEILING_BYTES = 74 * 1024;
/** Library samples per run beyond one per frame and one per text delta: 9 measured on agent-events (2 runs per session, 1 VU). */
const OTHER_SAMPLES_PER_RUN_CEILING = 10;

/** Our metric names, read from lib/metrics.ts, plus k6's `checks` (each check() is one sample). */
function libraryMetrics(): Set<string> {
  const source = readFileSync(join(repoRoot, 'lib', 'metrics.ts'), 'utf8');
  const names = [...source.matchAll(/new (?:Trend|Rate|Counter|Gauge)\('([a-z_]+)'/g)].map((match) => match[1]!);
  return new Set([...names, 'checks']);
}

/** Samples by metric name in a k6 `--out json` file. */
function samplesByMetric(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"type":"Point"')) continue;
    const point = JSON.parse(line) as { type: string; metric: string };
    if (point.type === 'Point') counts.set(point.metric, (counts.get(point.metric) ?? 0) + 1);
  }
  return counts;
}

interface RunCounts {
  runs: number;
  sessions: number;
  frames: number;
  samples: Map<string, number>;
}

/** What the library writes per run beyond the per-frame and per-delta samples. goodput depends on latency, so it is left out. */
function otherSamplesPerRun(counts: RunCounts, library: Set<string>): number {
  const perFrame = ['agent_event_latency', 'agent_time_to_first_token', 'agent_inter_token_latency', 'agent_goodput_runs'];
  let other = 0;
  for (const [metric, n] of counts.samples) if (library.has(metric) && !perFrame.includes(metric)) other += n;
  return other / counts.runs;
}

describe('hot path budget: bundle size and samples per run', () => {
  it('every scenario bundle stays under the ceiling', async () => {
    const entries = listEntries().filter((entry) => entry.source.includes(`${join(repoRoot, 'scenarios')}`));
    assert.ok(entries.length >= 6, `scenarios found: ${entries.map((e) => e.name).join(', ')}`);
    const built = await esbuild.build({ ...esbuildOptions(entries), write: false, sourcemap: false });
    const sizes = built.outputFiles.map((file) => ({ path: file.path, bytes: file.contents.length }));
    assert.equal(sizes.length, entries.length);
    for (const { path, bytes } of sizes) assert.ok(bytes <= BUNDLE_CEILING_BYTES, `${path} is ${bytes} B, over the ${BUNDLE_CEILING_BYTES} B ceiling`);
  });

  // Two shapes that cost a third of the library's JavaScript per run in k6 (bench/RESULTS.md, benchmark 1), caught in
  // the bundle's text: class fields defined through esbuild's helper (Object.defineProperty and a descriptor object
  // per field of every object built per run), and socket listeners that k6 calls through reflection on every frame.
  it('bundles assign class fields and set the socket handlers directly', async () => {
    const entry = listEntries().find((e) => e.name === 'agent-events')!;
    const [bundle] = (await esbuild.build({ ...esbuildOptions([entry]), write: false, sourcemap: false, minify: false })).outputFiles;
    const text = bundle!.text;
    assert.match(text, /(?:class RunInFlight|RunInFlight = class) \{[^]*?this\.settled = false;/, 'RunInFlight assigns its fields in the constructor');
    assert.doesNotMatch(text, /__publicField\(this,/, 'no class field goes through esbuild\'s defineProperty helper');
    assert.match(text, /socket\.onmessage = /);
    assert.doesNotMatch(text, /addEventListener\("message"/);
    // The check can fail: the same source bundled with defined class fields uses the helper.
    const defined = await esbuild.build({ ...esbuildOptions([entry]), tsconfig: undefined, tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } }, write: false, sourcemap: false, minify: false });
    assert.match(defined.outputFiles[0]!.text, /__publicField\(this,/);
  });

  describe('agent-events on one VU, 3 sessions × 2 runs', () => {
    let target: SpawnedTarget;
    let workDir: string;
    let counts: RunCounts;
    const library = libraryMetrics();
    before(async () => {
      target = await spawnTarget();
      workDir = mkdtempSync(join(tmpdir(), 'hot-path-budget-'));
      const out = join(workDir, 'points.json');
      const run = await runK6(bundlePath('agent-events'), {
        env: { BASE_URL: target.url, VUS: '1', ITERATIONS: '3', RUNS_PER_SESSION: '2', PLANS: 'pro:1', SUMMARY_DIR: workDir },
        args: ['--out', `json=${out}`],
      });
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      const samples = samplesByMetric(out);
      const sessions = samples.get('ws_sessions') ?? 0;
      // Every session's first frame is the ready frame; the rest belong to runs.
      counts = { runs: samples.get('agent_runs_completed') ?? 0, sessions, frames: (samples.get('ws_msgs_received') ?? 0) - sessions, samples };
    });
    after(async () => {
      await target?.stop();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    it('ran what it should: 6 runs on 3 sessions', () => {
      assert.equal(counts.runs, 6);
      assert.equal(counts.sessions, 3);
      assert.ok(counts.frames >= 6 * 5, `frames: ${counts.frames}`);
    });

    it('writes exactly one latency sample per frame and one streaming sample per text delta', () => {
      assert.equal(counts.samples.get('agent_event_latency'), counts.frames);
      const streaming = (counts.samples.get('agent_time_to_first_token') ?? 0) + (counts.samples.get('agent_inter_token_latency') ?? 0);
      assert.ok(streaming > 0 && streaming < counts.frames, `streaming samples: ${streaming} of ${counts.frames} frames`);
    });

    it(`writes at most ${OTHER_SAMPLES_PER_RUN_CEILING} other library samples per run`, () => {
      const other = otherSamplesPerRun(counts, library);
      assert.ok(other <= OTHER_SAMPLES_PER_RUN_CEILING, `${other.toFixed(2)} other samples per run: ${JSON.stringify([...counts.samples].filter(([m]) => library.has(m)))}`);
    });

    it('the budget fails a run that writes a sample per frame more', () => {
      const doubled = new Map(counts.samples);
      doubled.set('agent_runs_completed', (doubled.get('agent_runs_completed') ?? 0) + counts.frames);
      assert.ok(otherSamplesPerRun({ ...counts, samples: doubled }, library) > OTHER_SAMPLES_PER_RUN_CEILING);
    });
  });
});
