// The live Go heap of a k6 run once its VUs have run their init (bench/vu-heap.ts, test/vu-heap-budget.test.ts).
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { k6Binary } from '../../test/support/k6.ts';

interface Status { paused: boolean; 'vus-max': number }

async function status(api: string): Promise<Status | undefined> {
  try {
    const response = await fetch(`${api}/v1/status`);
    return response.ok ? ((await response.json()) as { data: { attributes: Status } }).data.attributes : undefined;
  } catch {
    return undefined;
  }
}

/** HeapAlloc, bytes, after a GC, once `vus` VUs have run their init. */
export async function heapWithVus(bundle: string, vus: number, apiPort = 16565): Promise<number> {
  const api = `http://127.0.0.1:${apiPort}`;
  const k6 = spawn(k6Binary(), ['run', '--paused', '--profiling-enabled', `--address=127.0.0.1:${apiPort}`, '--quiet', '--no-usage-report', bundle], {
    // A fixed environment: k6 copies every variable into each VU's __ENV, so a longer one would cost more per VU.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PROFILE: 'smoke', PLANS: 'pro:1', VUS: String(vus), ITERATIONS: String(vus), K6_NO_USAGE_REPORT: 'true' },
    stdio: 'ignore',
  });
  const exited = (): boolean => k6.exitCode !== null || k6.signalCode !== null;
  try {
    // The API answers while VUs are still being initialised: wait until all of them are.
    for (let attempt = 0; ; attempt++) {
      if (attempt > 600 || exited()) throw new Error(`${bundle}: k6 did not reach ${vus} initialised VUs`);
      const now = await status(api);
      if (now?.paused && now['vus-max'] === vus) break;
      await sleep(100);
    }
    const text = await (await fetch(`${api}/debug/pprof/heap?debug=1&gc=1`)).text();
    const match = /^# HeapAlloc = (\d+)$/m.exec(text);
    if (!match) throw new Error(`${bundle}: no HeapAlloc in k6's heap profile`);
    return Number(match[1]);
  } finally {
    k6.kill('SIGKILL');
    await new Promise((resolve) => (exited() ? resolve(undefined) : k6.once('exit', resolve)));
  }
}

/** KiB per VU: the heap with `wide` VUs less the heap with `narrow`, ÷ the difference. */
export async function heapPerVuKiB(bundle: string, narrow: number, wide: number, apiPort?: number): Promise<number> {
  return ((await heapWithVus(bundle, wide, apiPort)) - (await heapWithVus(bundle, narrow, apiPort))) / (wide - narrow) / 1024;
}
