// Goal 5 (the engine's issue): `npm ci && npm start` in a fresh clone, with no go and no k6 on PATH, in ≤ 60 s.
// The clone: `git clone` of this repository when the working tree is clean (or FRESH_FROM=commit); while it has
// uncommitted changes, a copy of exactly the files a commit of it would hold (tracked and untracked, not ignored,
// as bench/support/snapshot.ts), said so in the output (FRESH_FROM=commit clones HEAD anyway). PATH loses every
// directory that holds a `go` or a `k6`; AGENT_SLA_TOOLS_DIR and INFLUXD are unset, so the clone's .tools starts
// empty. npm's cache is the user's (FRESH_NPM_CACHE=empty uses an empty one: every package downloaded). Times are
// wall clock, with the CPU of each command beside them; `npm start` must exit 0.
//   npm run bench:fresh-clone   (FRESH_FROM=auto|commit|worktree FRESH_NPM_CACHE=user|empty FRESH_KEEP=1)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { repoRoot } from '../build/paths.ts';
import { loadLine, runMeasured } from './support/run-measured.ts';

const goalSeconds = 60;
const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' }).trim() !== '';
const from = process.env.FRESH_FROM && process.env.FRESH_FROM !== 'auto' ? process.env.FRESH_FROM : dirty ? 'worktree' : 'commit';
const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
const work = mkdtempSync(join(tmpdir(), 'agent-sla-fresh-'));
const clone = join(work, 'agent-sla');
const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !existsSync(join(dir, 'go')) && !existsSync(join(dir, 'k6')));
const env: Record<string, string> = {};
for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !/^(AGENT_SLA_|INFLUXD|K6_|npm_|NODE_OPTIONS$|TSX_)/.test(name)) env[name] = value;
env.PATH = path.join(delimiter);
if (process.env.FRESH_NPM_CACHE === 'empty') env.npm_config_cache = join(work, 'npm-cache');
const which = (name: string): string => {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { env, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

try {
  console.log(`bench:fresh-clone — ${cpus().length} CPUs, Node ${process.version}; ${loadLine()}`);
  if (which('go') || which('k6')) throw new Error(`go or k6 still on PATH: ${which('go')} ${which('k6')}`);
  console.log(`PATH without go and k6: ${env.PATH} (command -v go: none, k6: none)`);
  if (from === 'commit') {
    execFileSync('git', ['clone', '--quiet', repoRoot, clone], { stdio: 'inherit' });
    console.log(`clone: git clone of ${head}${dirty ? ' (HEAD only: the working tree has uncommitted changes that are NOT in this clone)' : ''}`);
  } else {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      if (!existsSync(join(repoRoot, file))) continue;
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(repoRoot, file), join(clone, file));
    }
    console.log(`clone: the working tree as a commit of it would hold it (${head} + uncommitted changes, ${files.length} files; not a git clone: the engine is not committed yet)`);
  }
  console.log(`npm cache: ${env.npm_config_cache ?? 'the user\'s (warm)'}`);
  const ci = await runMeasured('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, env, envOnly: true, timeoutMs: 15 * 60_000 });
  console.log(`npm ci: exit ${ci.code}, ${ci.seconds.toFixed(1)} s wall, ${ci.cpuSeconds.toFixed(1)} CPU s`);
  if (ci.code !== 0) throw new Error(`npm ci failed:\n${ci.stderr.slice(-2000)}`);
  const start = await runMeasured('npm', ['start'], { cwd: clone, env, envOnly: true, timeoutMs: 10 * 60_000 });
  console.log(`npm start: exit ${start.code}, ${start.seconds.toFixed(1)} s wall, ${start.cpuSeconds.toFixed(1)} CPU s, peak RSS ${start.peakRssMiB.toFixed(0)} MiB`);
  const lines = `${start.stdout}\n${start.stderr}`.trim().split('\n');
  console.log(lines.slice(-12).map((line) => `  | ${line}`).join('\n'));
  const total = ci.seconds + start.seconds;
  console.log(`\n${new Date().toISOString()}; ${loadLine()}`);
  console.log(`Goal 5, npm ci && npm start in a fresh clone without go and k6 in ≤ ${goalSeconds} s: ${ci.seconds.toFixed(1)} + ${start.seconds.toFixed(1)} = ${total.toFixed(1)} s → ${start.code === 0 && total <= goalSeconds ? 'MET' : 'NOT met'}${start.code === 0 ? '' : ` (npm start exited ${start.code})`}`);
  process.exitCode = start.code === 0 ? 0 : 1;
} finally {
  if (process.env.FRESH_KEEP === '1') console.log(`kept: ${clone}`);
  else rmSync(work, { recursive: true, force: true });
}
