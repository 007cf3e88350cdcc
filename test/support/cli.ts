import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { preflightExitCode } from '../../cli/preflight-error.ts';
import { join } from 'node:path';
import { repoRoot } from '../../build/paths.ts';

export const cliShim = join(repoRoot, 'cli', 'agent-sla.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `agent-sla <args>` as a user would: the package's bin, in its own process, bounded by a timeout. */
export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; command?: string[] } = {}): Promise<CliResult> {
  const [binary, ...prefix] = options.command ?? [process.execPath, cliShim];
  const child = spawn(binary ?? process.execPath, [...prefix, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** The whole of stderr is one line starting "agent-sla:", stdout is empty, and the exit is 2 (not 99, not 107). */
export function assertOneLineError(result: CliResult, mentions: RegExp): void {
  assert.equal(result.code, preflightExitCode, `exit ${result.code}; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', /^agent-sla: /);
  assert.match(lines[0] ?? '', mentions);
}
