import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time and memory of a process and its descendants, read from /proc while it runs. */
export interface ProcessUsage {
  cpuSeconds: number;
  /** Highest sum of resident memory over the tree seen by a poll, or the root's VmHWM if higher. */
  peakRssMiB: number;
}

export const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function stat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = stat(Number(name));
    if (entry) parents.set(Number(name), entry.ppid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/**
 * Polls every intervalMs until stop(). CPU is the sum over every process of the tree of the last ticks seen, so a
 * process's final interval (at most intervalMs of CPU) is missed: small against runs of many seconds.
 */
export function trackUsage(root: number, intervalMs = 50): { stop(): ProcessUsage } {
  const ticks = new Map<number, number>();
  let peakKiB = 0;
  const poll = (): void => {
    let rss = 0;
    for (const pid of descendants(root)) {
      const entry = stat(pid);
      if (entry) ticks.set(pid, Math.max(ticks.get(pid) ?? 0, entry.ticks));
      rss += statusKiB(pid, 'VmRSS');
    }
    peakKiB = Math.max(peakKiB, rss, statusKiB(root, 'VmHWM'));
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      let total = 0;
      for (const value of ticks.values()) total += value;
      return { cpuSeconds: total / ticksPerSecond, peakRssMiB: peakKiB / 1024 };
    },
  };
}
