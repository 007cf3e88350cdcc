import { runTest } from '../engine/run/run-test.ts';
import { execHelp, parseExecArgs } from './exec-options.ts';

/**
 * `agent-sla exec [k6 run flags] <script.js>`: a k6 script on agent-sla's engine. Ctrl-C (or SIGTERM) stops the
 * test as k6 does: iterations are interrupted, the summary is still written, and the exit code is 105.
 */
export async function execCommand(argv: string[]): Promise<number> {
  const { config, help } = parseExecArgs(argv, process.env, process.cwd());
  if (help) {
    console.log(execHelp());
    return 0;
  }
  const interrupted = new AbortController();
  const stop = (): void => interrupted.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await runTest(
      config,
      {
        stdout: (text) => void process.stdout.write(text),
        stderr: (text) => void process.stderr.write(text),
        stdoutIsTTY: process.stdout.isTTY === true,
        stderrIsTTY: process.stderr.isTTY === true,
      },
      interrupted.signal,
    );
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
