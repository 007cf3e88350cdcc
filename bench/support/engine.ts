// Runs k6 scripts on agent-sla's engine as a user would (`node cli/agent-sla.js exec …`, its own process), measured:
// exact user + system CPU of that process (worker threads included) and its peak RSS (bench/support/run-measured.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasured, type MeasuredRun } from './run-measured.ts';

export interface Summary { metrics: Record<string, Record<string, number> | undefined> }
export interface EngineRun extends MeasuredRun { summary: Summary | undefined }

export interface EngineRunOptions {
  /** The script's __ENV, passed as `-e` flags (the process itself gets only PATH and HOME, see below). */
  vars?: Record<string, string>;
  /** More `agent-sla exec` flags, e.g. ['--out', 'json=…']. */
  args?: string[];
  /** Flags for node itself, e.g. ['--cpu-prof', '--cpu-prof-dir=…']: worker threads inherit them. */
  nodeArgs?: string[];
  /** A command that runs node, e.g. ['perf', 'record', '-g', '--']. */
  wrap?: string[];
  /** Variables for the process beyond PATH and HOME. */
  processEnv?: Record<string, string>;
  timeoutMs: number;
}

/**
 * `agent-sla exec` of the tree at `root` on `script`. The process environment is fixed (PATH and HOME only, plus
 * processEnv): a VU's __ENV is a copy of the whole environment, so the shell's variables would otherwise change
 * memory per VU from one machine to the next.
 */
export async function runEngine(root: string, script: string, options: EngineRunOptions): Promise<EngineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  const summaryFile = join(dir, 'summary.json');
  try {
    const vars = Object.entries(options.vars ?? {}).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    const [command, ...prefix] = [...(options.wrap ?? []), process.execPath];
    const run = await runMeasured(
      command!,
      [...prefix, ...(options.nodeArgs ?? []), join(root, 'cli', 'agent-sla.js'), 'exec', '--quiet', '--no-color', '--summary-trend-stats=avg,med,p(95),p(99),p(99.9),max,count', `--summary-export=${summaryFile}`, ...vars, ...(options.args ?? []), script],
      { cwd: root, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.processEnv }, envOnly: true, timeoutMs: options.timeoutMs },
    );
    let summary: Summary | undefined;
    try {
      summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
    } catch {
      summary = undefined;
    }
    return { ...run, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The engine's worker bundle of the tree at `root`, built now if it is not, so no measured run pays for it. */
export async function warmEngine(root: string): Promise<string> {
  const { workerBundle } = (await import(join(root, 'engine', 'run', 'worker-bundle.ts'))) as { workerBundle(): Promise<string> };
  return workerBundle();
}

/** spawnTarget from the same tree. */
export async function targetOf(root: string): Promise<typeof import('../../test/support/target.ts')> {
  return (await import(join(root, 'test', 'support', 'target.ts'))) as typeof import('../../test/support/target.ts');
}
