import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repoRoot } from './paths.ts';

const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export const typecheckProjects = ['tsconfig.k6.json', 'tsconfig.json'] as const;

/** Runs `tsc --noEmit` on each project; returns the compiler's messages, empty when clean. */
export function typecheck(projects: readonly string[] = typecheckProjects): string {
  const failures: string[] = [];
  for (const project of projects) {
    const result = spawnSync(process.execPath, [tscPath, '--noEmit', '--pretty', 'false', '-p', project], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (result.status !== 0) failures.push(`${result.stdout}${result.stderr}`.trim());
  }
  return failures.join('\n');
}
