import { formatDuration } from '../options/duration.ts';
import type { ExecutorProgress } from './context.ts';

/** Progress for executors bounded by time: `05.2s/30s` after the executor's own status. */
export function elapsedProgress(totalMs: number, fraction: (() => number) | undefined, status: () => string): ExecutorProgress & { start(now: () => number): void } {
  let clock: (() => number) | undefined;
  const elapsed = (): number => (clock ? Math.max(0, Math.min(totalMs, clock())) : 0);
  return {
    start(now) {
      clock = now;
    },
    fraction: () => (fraction ? fraction() : totalMs > 0 ? elapsed() / totalMs : 1),
    status: () => `${status()}  ${formatDuration(Math.round(elapsed() / 100) * 100)}/${formatDuration(totalMs)}`,
  };
}
