// The engine run in this process (as test/support/k6.ts runs it), with its worker threads tracked for heap
// snapshots (worker-heaps.ts), and a way to hold every VU initialised and idle: a wrapper script around the bundle
// whose setup() waits for an HTTP answer this process gives when it has measured.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { trackWorkers } from './worker-heaps.ts';

const workers = trackWorkers();

export interface InProcessRun {
  workers: Worker[];
  /** Resolves with the exit code. */
  done: Promise<number>;
  output(): { stdout: string; stderr: string };
}

/** `agent-sla exec` of the tree at root, in this process, with a fixed environment (PATH, HOME and vars). */
export async function startInProcess(root: string, script: string, vars: Record<string, string>, args: string[] = []): Promise<InProcessRun> {
  const { parseExecArgs } = (await import(join(root, 'cli', 'exec-options.ts'))) as typeof import('../../cli/exec-options.ts');
  const { runTest } = (await import(join(root, 'engine', 'run', 'run-test.ts'))) as typeof import('../../engine/run/run-test.ts');
  const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const flags = ['--quiet', '--no-color', '--no-summary', ...Object.entries(vars).flatMap(([name, value]) => ['-e', `${name}=${value}`]), ...args, script];
  const { config } = parseExecArgs(flags, environment, root);
  let stdout = '';
  let stderr = '';
  const done = runTest(config, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stdoutIsTTY: false, stderrIsTTY: false });
  return { workers, done, output: () => ({ stdout, stderr }) };
}

/**
 * Runs `bundle` with `vus` VUs initialised and none iterating: a wrapper re-exports the bundle (so every VU
 * evaluates all of it) with its own options and a setup() that waits until `measure` has run. Resolves with what
 * `measure` returned once the test has ended.
 */
export async function withIdleVus<T>(root: string, bundle: string, vus: number, vars: Record<string, string>, measure: (workers: Worker[]) => Promise<T>): Promise<T> {
  let waiting: ServerResponse | undefined;
  let arrived: () => void = () => undefined;
  const setupStarted = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((_request, response) => {
    waiting = response;
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const releaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/release`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-idle-vus-'));
  const wrapper = join(dir, 'idle-vus.js');
  writeFileSync(wrapper, [
    `export * from ${JSON.stringify(bundle)};`,
    `import http from 'k6/http';`,
    `export const options = { scenarios: { idle: { executor: 'per-vu-iterations', vus: ${vus}, iterations: 1, maxDuration: '10m' } }, setupTimeout: '10m' };`,
    `export async function setup() { await http.asyncRequest('GET', __ENV.RELEASE_URL, null, { timeout: '10m' }); }`,
    'export default function () {}',
    'export function handleSummary() { return {}; }',
    '',
  ].join('\n'));
  try {
    const run = await startInProcess(root, wrapper, { ...vars, RELEASE_URL: releaseUrl });
    const started = await Promise.race([setupStarted.then(() => true), run.done.then(() => false)]);
    if (!started) throw new Error(`the engine ended before setup(): ${run.output().stderr.slice(-1500)}`);
    let result: T;
    try {
      result = await measure(run.workers);
    } finally {
      waiting?.end('ok');
    }
    const code = await run.done;
    if (code !== 0) throw new Error(`idle-VU run exited ${code}: ${run.output().stderr.slice(-1500)}`);
    return result;
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
