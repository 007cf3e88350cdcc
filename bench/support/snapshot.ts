// A frozen copy of the working tree for a bench to run from, so that edits made while it runs (the engine, the
// library, the target and the bundles are all being changed by others at the same time) cannot mix two versions of
// the code into one set of rounds. The copy holds every file git would commit (tracked and untracked, not ignored),
// dist/ as built, and a link to node_modules; its .tools starts empty, so the engine's worker bundle is built once
// there, before the first measured run. BENCH_SNAPSHOT=0 runs from the working tree itself.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../build/paths.ts';

export interface Tree {
  root: string;
  /** "af90cd9 + uncommitted changes", for the bench's log. */
  describe: string;
  remove(): void;
}

export function snapshotTree(label: string): Tree {
  const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' }).trim() !== '';
  const describe = `${head}${dirty ? ' + uncommitted changes' : ''}`;
  if (process.env.BENCH_SNAPSHOT === '0') return { root: repoRoot, describe: `${describe} (working tree, not frozen)`, remove: () => undefined };
  const root = mkdtempSync(join(tmpdir(), `agent-sla-${label}-`));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = join(repoRoot, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(from, join(root, file));
  }
  if (existsSync(join(repoRoot, 'dist'))) cpSync(join(repoRoot, 'dist'), join(root, 'dist'), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  // Where the scenarios' handleSummary writes its reports (SUMMARY_DIR in the benches).
  mkdirSync(join(root, 'reports'), { recursive: true });
  return { root, describe: `${describe}, frozen in ${root}`, remove: () => rmSync(root, { recursive: true, force: true }) };
}
