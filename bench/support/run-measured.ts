import { spawn } from 'node:child_process';
import { trackUsage, type ProcessUsage } from './process-usage.ts';

export interface MeasuredRun extends ProcessUsage {
  code: number | null;
  seconds: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after timeoutMs), measuring its process tree's CPU and memory. */
export async function runMeasured(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number }): Promise<MeasuredRun> {
  const started = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const usage = trackUsage(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  // 'exit' fires before the streams close; the usage poll stops there, while /proc still has the process.
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const code = await exited;
  const measured = usage.stop();
  await new Promise((resolve) => (child.stdout.readableEnded ? resolve(undefined) : child.stdout.once('end', resolve)));
  clearTimeout(timer);
  return { code, seconds: (performance.now() - started) / 1000, stdout, stderr, ...measured };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
