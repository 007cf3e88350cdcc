// Where a run's JavaScript goes, without the network's noise: one run captured from the reference target, then
// replayed in one VU on agent-sla's engine through the layers of bench/k6/run-path.ts (a k6 script, bundled as the
// scenarios are), each layer timed over RUNS replays.
// Layers include the ones before, so each difference is what that layer adds per run; rounds alternate the bundles.
//   npm run bench:layers   (BENCH_ROUNDS=3 RUNS=5000 MODE=single|orchestration;
//                           BENCH_OFF=validation,samples builds a second bundle with those bench switches off)
import WebSocket from 'ws';
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildOptions } from '../build/bundle.ts';
import { repoRoot } from '../build/paths.ts';
import { spawnTarget } from '../test/support/target.ts';
import { median } from './support/run-measured.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const runs = Number(process.env.RUNS ?? 5000);
const mode = process.env.MODE ?? 'single';
const layers = ['parse', 'hand', 'tracker', 'run'] as const;
const workDir = mkdtempSync(join(tmpdir(), 'bench-layers-'));

/** One run's frames, as the target sent them, with request_id "REQ" (the replay's own). */
async function captureRun(baseUrl: string, wsUrl: string): Promise<string[]> {
  const email = `layers-${Date.now()}@load.test`;
  const post = (path: string, body: unknown) => fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  await post('/auth/signup', { email, password: 'layers-password', plan: 'pro' });
  const { access_token: token } = (await (await post('/auth/login', { email, password: 'layers-password' })).json()) as { access_token: string };
  const socket = new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${token}` } });
  const frames: string[] = [];
  let top: unknown;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no complete run within 30 s')), 30_000);
    socket.on('error', reject);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; agent?: unknown };
      if (frame.type === 'connection_established') socket.send(JSON.stringify({ type: 'user_message', request_id: 'REQ', content: 'hello', mode }));
      else if (frame.type !== 'heartbeat') {
        frames.push(String(data));
        top ??= frame.agent;
        if (frame.type === 'agent_completed' && frame.agent === top) {
          clearTimeout(timer);
          socket.close();
          resolve(frames);
        }
      }
    });
  });
}

async function bundle(name: string, off: string | undefined): Promise<string> {
  await esbuild.build({
    ...esbuildOptions([]), entryPoints: { [name]: join(repoRoot, 'bench', 'k6', 'run-path.ts') }, outdir: workDir,
    ...(off ? { define: { AGENT_SLA_BENCH_OFF: JSON.stringify(off) } } : {}),
  });
  return join(workDir, `${name}.js`);
}

function replay(script: string, framesFile: string): Record<string, number> {
  const result = spawnSync(process.execPath, [join(repoRoot, 'cli', 'agent-sla.js'), 'exec', '--quiet', '--no-summary', '-e', `FRAMES=${framesFile}`, '-e', `RUNS=${runs}`, script], {
    encoding: 'utf8', timeout: 300_000, cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  if (result.status !== 0) throw new Error(`the engine exited ${result.status}: ${result.stderr.slice(-1500)}`);
  const times: Record<string, number> = {};
  for (const match of `${result.stdout}\n${result.stderr}`.matchAll(/layer (\w+) ([\d.]+) µs per run/g)) times[match[1]!] = Number(match[2]);
  return times;
}

const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: '0.02' } });
try {
  const frames = await captureRun(target.url, target.wsUrl);
  const framesFile = join(workDir, 'frames.json');
  writeFileSync(framesFile, JSON.stringify(frames));
  const bundles: Array<[string, string]> = [['ours', await bundle('ours', undefined)]];
  if (process.env.BENCH_OFF) bundles.push([`without ${process.env.BENCH_OFF}`, await bundle('off', process.env.BENCH_OFF)]);
  console.log(`hot-path layers: one ${mode} run of ${frames.length} frames, replayed ${runs} times per layer in one VU; ${rounds} rounds`);
  const figures = new Map<string, Record<string, number[]>>();
  for (let round = 1; round <= rounds; round++) {
    for (const [name, script] of round % 2 ? bundles : [...bundles].reverse()) {
      const times = replay(script, framesFile);
      const table = figures.get(name) ?? {};
      for (const layer of layers) (table[layer] ??= []).push(times[layer] ?? Number.NaN);
      figures.set(name, table);
      console.log(`  round ${round} ${name}: ${layers.map((layer) => `${layer} ${times[layer]?.toFixed(1)}`).join(', ')} µs`);
    }
  }
  for (const [name, table] of figures) {
    const m = Object.fromEntries(layers.map((layer) => [layer, median(table[layer]!)])) as Record<(typeof layers)[number], number>;
    console.log(`\n${name}, medians, µs per run (${frames.length} frames):\n| layer | cumulative | added |\n|---|---:|---:|`);
    let before = 0;
    for (const layer of layers) {
      const added = layer === 'tracker' ? m.tracker - m.parse : m[layer] - before;
      console.log(`| ${layer} | ${m[layer].toFixed(1)} | ${before === 0 ? '' : added.toFixed(1)} |`);
      before = layer === 'hand' ? m.parse : m[layer];
    }
    console.log(`| library over hand-written | | ${(m.run - m.hand).toFixed(1)} |`);
  }
} finally {
  await target.stop();
  rmSync(workDir, { recursive: true, force: true });
}
