import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ticksPerSecond, trackUsage, type ProcessUsage } from './process-usage.ts';

export interface MeasuredRun extends ProcessUsage {
  code: number | null;
  seconds: number;
  stdout: string;
  stderr: string;
  /** CPU seconds of the tree as polled from /proc (misses up to a poll interval at the end); cpuSeconds is exact. */
  polledCpuSeconds: number;
}

/** User + system CPU of this process's children that have been waited for, in clock ticks (/proc/self/stat). */
function reapedChildrenTicks(): number {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(fields[13]) + Number(fields[14]);
}

/**
 * Runs a command to its end (killed after timeoutMs), measuring its process tree's CPU and memory.
 * CPU is exact: the user + system time the kernel adds to this process's children's account when it reaps the
 * command (its descendants included, worker threads included), read before and after. So only one measured command
 * may run at a time, and no other child of this process may end meanwhile (a spawned target lives on: it counts
 * nowhere). Peak RSS is the command's VmHWM or the highest sum over its tree, polled.
 */
export async function runMeasured(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number; /** env is the whole environment, not added to this process's. */ envOnly?: boolean }): Promise<MeasuredRun> {
  const started = performance.now();
  const ticksBefore = reapedChildrenTicks();
  const child = spawn(command, args, { env: options.envOnly ? options.env : { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const usage = trackUsage(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  // 'exit' fires once the child has been reaped, so its CPU is in this process's account by then.
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const code = await exited;
  const measured = usage.stop();
  const exact = (reapedChildrenTicks() - ticksBefore) / ticksPerSecond;
  await new Promise((resolve) => (child.stdout.readableEnded ? resolve(undefined) : child.stdout.once('end', resolve)));
  clearTimeout(timer);
  return { code, seconds: (performance.now() - started) / 1000, stdout, stderr, peakRssMiB: measured.peakRssMiB, cpuSeconds: Math.max(exact, measured.cpuSeconds), polledCpuSeconds: measured.cpuSeconds };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const range = (values: number[], digits = 2): string =>
  values.length > 1 ? ` (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : '';

/** "load average 1.23 0.98 0.80", for the log of every bench. */
export const loadLine = (): string => `load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`;
