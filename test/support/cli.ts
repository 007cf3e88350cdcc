import { spawn } from 'node:child_process';
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
