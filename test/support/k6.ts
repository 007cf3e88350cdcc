import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findK6 } from '../../build/provision-k6.ts';
import { distDir } from '../../build/paths.ts';

export interface K6Result {
  code: number | null;
  stdout: string;
  stderr: string;
  /** k6's end-of-test summary (`--summary-export`), undefined if k6 wrote none. */
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

/** The k6 the project provisioned; tests fail loudly rather than skip when it is absent. */
export function k6Binary(): string {
  const k6 = findK6();
  if (!k6) throw new Error('no k6 found: run `npm run setup` first');
  return k6.path;
}

/** Runs the real k6 binary on a bundled script, bounded by a timeout. */
export async function runK6(script: string, options: K6RunOptions = {}): Promise<K6Result> {
  const summaryFile = join(mkdtempSync(join(tmpdir(), 'k6-summary-')), 'summary.json');
  const args = ['run', '--no-color', '--quiet', '--no-usage-report', `--summary-export=${summaryFile}`, ...(options.args ?? []), script];
  const child = spawn(k6Binary(), args, {
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  let summary: K6Summary | undefined;
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as K6Summary;
  } catch {
    summary = undefined;
  }
  return { code, stdout, stderr, summary };
}

/** k6's exit code when a threshold fails. */
export const thresholdsFailedExitCode = 99;
