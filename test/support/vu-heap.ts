// The live JavaScript heap each VU of a bundle keeps once its init has run on agent-sla's engine.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../build/paths.ts';

const probe = join(repoRoot, 'test', 'support', 'vu-heap-probe.ts');

/** heapUsed, bytes, after full GCs, in a fresh process holding `vus` initialised VUs of the bundle (one worker's worth). */
export async function heapWithVus(bundle: string, vus: number): Promise<number> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', probe, bundle, String(vus)], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  const bytes = Number(stdout.trim());
  if (code !== 0 || !(bytes > 0)) throw new Error(`${bundle}: the heap probe with ${vus} VUs exited ${code}: ${stderr.trim().slice(-1000)}`);
  return bytes;
}

/** KiB per VU: the heap with `wide` VUs less the heap with `narrow`, ÷ the difference. */
export async function heapPerVuKiB(bundle: string, narrow: number, wide: number): Promise<number> {
  return ((await heapWithVus(bundle, wide)) - (await heapWithVus(bundle, narrow))) / (wide - narrow) / 1024;
}
