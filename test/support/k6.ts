import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distDir } from '../../build/paths.ts';
import { parseExecArgs } from '../../cli/exec-options.ts';
import { inspectScript } from '../../engine/run/inspect-script.ts';
import { runTest } from '../../engine/run/run-test.ts';
import { prepareScript } from '../../engine/script/prepare-script.ts';

export interface K6Result {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The end-of-test summary as k6's `--summary-export` writes it, undefined if none was written. */
  summary: K6Summary | undefined;
}

export interface K6Summary {
  metrics: Record<string, Record<string, unknown> & { thresholds?: Record<string, boolean> }>;
}

export interface K6RunOptions {
  env?: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
}

export const bundlePath = (name: string): string => join(distDir, `${name}.js`);
export const fixturePath = (name: string): string => join(distDir, 'fixtures', `${name}.js`);

/**
 * Runs a bundled script on agent-sla's engine, as `agent-sla exec` (k6 run's flags) would, in this process, with
 * its output captured. A run that outlives timeoutMs is interrupted as Ctrl-C would (exit 105).
 */
export async function runK6(script: string, options: K6RunOptions = {}): Promise<K6Result> {
  const summaryFile = join(mkdtempSync(join(tmpdir(), 'k6-summary-')), 'summary.json');
  const args = ['--no-color', '--quiet', `--summary-export=${summaryFile}`, ...(options.args ?? []), script];
  const { config } = parseExecArgs(args, { ...process.env, ...options.env }, process.cwd());
  let stdout = '';
  let stderr = '';
  const interrupt = new AbortController();
  const timer = setTimeout(() => interrupt.abort(), options.timeoutMs ?? 120_000);
  let code: number | null;
  try {
    code = await runTest(config, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stdoutIsTTY: false, stderrIsTTY: false }, interrupt.signal);
  } finally {
    clearTimeout(timer);
  }
  let summary: K6Summary | undefined;
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as K6Summary;
  } catch {
    summary = undefined;
  }
  return { code, stdout, stderr, summary };
}

/** The exit code when a threshold fails, as k6's. */
export const thresholdsFailedExitCode = 99;

/**
 * The options a bundle's init code exports with `env` added to this process's environment as its __ENV, read as the
 * engine reads them before any VU starts, without running the test (k6 inspect's view, durations as the script wrote
 * them). Throws what the init code throws.
 */
export async function inspectOptions(script: string, env: Record<string, string> = {}): Promise<Record<string, any>> {
  const scriptEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) scriptEnv[name] = value;
  const { options } = await inspectScript(await prepareScript(script), scriptEnv, () => {});
  return (options ?? {}) as Record<string, any>;
}
