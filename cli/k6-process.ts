import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface K6ProcessOptions {
  binary: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Where k6's stdout goes: the terminal, our stderr (so that stdout stays for one JSON object), or nowhere. */
  stdout: 'inherit' | 'stderr' | 'ignore';
}

/**
 * Runs k6 in the foreground and resolves with its exit code (99: an SLA threshold failed).
 * We outlive k6 on SIGINT/SIGTERM so that the target is stopped after k6 wrote its summary.
 * On a terminal, Ctrl-C already reaches k6 through the process group; a second SIGINT would make
 * k6 hard-stop, so SIGINT is passed on only when no terminal delivered it.
 */
export async function runK6Process(options: K6ProcessOptions): Promise<number> {
  const child = spawn(options.binary, options.args, {
    env: options.env,
    stdio: ['ignore', options.stdout === 'stderr' ? 'pipe' : options.stdout, 'inherit'],
  });
  child.stdout?.pipe(process.stderr, { end: false });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  const onInt = process.stdin.isTTY ? () => {} : forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    if (code !== null) return code;
    return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
