import cliProgress from 'cli-progress';

export interface Progress {
  tick(detail?: string): void;
  stop(): void;
}

/**
 * A bar on a terminal; on a pipe (CI), a line at each quarter so logs stay short.
 * `quiet` silences both.
 */
export function startProgress(label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  let done = 0;
  if (options.quiet) return { tick: () => void done++, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {detail}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { detail: '' });
    return {
      tick: (detail = '') => bar.increment(1, { detail: detail.slice(-40) }),
      stop: () => bar.stop(),
    };
  }
  let lastQuarter = 0;
  return {
    tick() {
      done++;
      const quarter = Math.floor((Math.min(done, total) / total) * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        process.stderr.write(`${label}: ${quarter * 25}% (${Math.min(done, total)}/${total})\n`);
      }
    },
    stop: () => {},
  };
}
