import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { repoRoot, toolsDir } from './paths.ts';

const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export const typecheckProjects = ['tsconfig.k6.json', 'tsconfig.json'] as const;

function runTsc(project: string, incremental: boolean): Promise<string> {
  // Incremental: tsc keeps what it learned in .tools/tsbuildinfo, so a check after a small change takes a fraction.
  const cache = incremental ? ['--incremental', '--tsBuildInfoFile', join(toolsDir, 'tsbuildinfo', `${basename(project)}.tsbuildinfo`)] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tscPath, '--noEmit', '--pretty', 'false', ...cache, '-p', project], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve(code === 0 ? '' : output.trim()));
  });
}

/** Runs `tsc --noEmit` on each project, all at once; resolves with the compiler's messages, empty when clean. */
export async function typecheck(projects: readonly string[] = typecheckProjects): Promise<string> {
  const incremental = projects === typecheckProjects;
  const failures = await Promise.all(projects.map((project) => runTsc(project, incremental)));
  return failures.filter((text) => text !== '').join('\n');
}
