import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, toolsDir } from './paths.ts';

const require = createRequire(import.meta.url);

/**
 * `tsc` is TypeScript 7, the native compiler (the `typescript` package); `tsc5` is TypeScript 5.9 in JavaScript
 * (the `typescript-5` alias), kept only so bench/build-and-bundle.ts can time both side by side.
 */
export type Compiler = 'tsc' | 'tsc5';

export const typecheckProjects = ['tsconfig.k6.json', 'tsconfig.json'] as const;

/** The command that runs a compiler: TypeScript 7's own executable when its platform package is there, without Node. */
function compilerCommand(compiler: Compiler): [string, string[]] {
  if (compiler === 'tsc5') return [process.execPath, [require.resolve('typescript-5/bin/tsc')]];
  try {
    const platformPackage = require.resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    return [join(dirname(platformPackage), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc'), []];
  } catch {
    return [process.execPath, [join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc')]];
  }
}

function runTsc(compiler: Compiler, project: string, incremental: boolean): Promise<string> {
  // Incremental: tsc keeps what it learned in .tools/tsbuildinfo, so a check after a small change takes a fraction.
  const infoFile = join(toolsDir, 'tsbuildinfo', compiler, `${basename(project)}.tsbuildinfo`);
  const cache = incremental ? ['--incremental', '--tsBuildInfoFile', infoFile] : [];
  const [command, prefix] = compilerCommand(compiler);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, '--noEmit', '--pretty', 'false', ...cache, '-p', project], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve(code === 0 ? '' : output.trim() || `${command} exited ${code}`));
  });
}

/** Runs `tsc --noEmit` on each project, all at once; resolves with the compiler's messages, empty when clean. */
export async function typecheck(projects: readonly string[] = typecheckProjects, compiler: Compiler = 'tsc'): Promise<string> {
  const incremental = projects === typecheckProjects;
  const failures = await Promise.all(projects.map((project) => runTsc(compiler, project, incremental)));
  return failures.filter((text) => text !== '').join('\n');
}

// `npm run typecheck`: both projects, with TypeScript 7 (node_modules/.bin/tsc may be either compiler's bin).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const errors = await typecheck();
  if (errors) {
    console.error(errors);
    process.exitCode = 1;
  }
}
