import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTest } from '../../engine/run/run-test.ts';
import { runArguments } from '../engine-launch.ts';
import { parseExecArgs } from '../exec-options.ts';
import type { RunPlan } from '../run-plan.ts';
import type { SlaSummary } from '../../lib/summary/model.ts';
import { GeneratorLoadMeter, type GeneratorLoad } from './generator-load.ts';

/** One step of the search as the engine is asked to run it. */
export interface StepRequest {
  /** 1, 2, …: the `step` tag on every point, and its directory. */
  index: number;
  /** Sessions (iterations) started per second. */
  rate: number;
  durationMs: number;
  /** VUs, every one initialised before the arrivals start. */
  vus: number;
  dir: string;
  workers: number | undefined;
}

/** What the engine left behind after one step. */
export interface StepOutcome {
  exitCode: number;
  summary: SlaSummary | undefined;
  /** From the engine's --summary-export: k6's built-in metrics the SLA summary does not carry. */
  engine: { iterations: number; dropped: number; meanIterationMs: number | undefined };
  load: GeneratorLoad;
  wallMs: number;
  /** The engine's log (warnings, errors) for this step. */
  logFile: string;
}

/** A step's own directory name, sortable: steps/03. */
export const stepDirName = (index: number): string => String(index).padStart(2, '0');

/**
 * Runs one step in this process on agent-sla's engine: the scenario's `rate` profile at the step's rate, length and VU
 * pool, tagged `step=N`, writing its reports to the step's directory. The engine's output goes to the step's log, so
 * that the terminal shows one line per step.
 */
export async function runStep(plan: RunPlan, targetUrl: string, step: StepRequest, signal: AbortSignal): Promise<StepOutcome> {
  mkdirSync(step.dir, { recursive: true });
  const logFile = join(step.dir, 'engine.log');
  const exportFile = join(step.dir, 'engine-summary.json');
  writeFileSync(logFile, '');
  const stepPlan: RunPlan = {
    ...plan,
    env: { ...plan.env, PROFILE: 'rate', RATE: String(step.rate), DURATION: `${step.durationMs}ms`, VUS: String(step.vus), SUMMARY_DIR: step.dir },
  };
  const { args, env } = runArguments(stepPlan, targetUrl, { summaryDir: step.dir, quiet: true, stdout: 'ignore', extraArgs: ['--tag', `step=${step.index}`, '--summary-export', exportFile] });
  const { config } = parseExecArgs(args, { ...process.env, ...env }, process.cwd());
  if (step.workers !== undefined) config.workers = step.workers;
  const log = (text: string): void => appendFileSync(logFile, text);
  const meter = new GeneratorLoadMeter(config.workers);
  const startedAt = performance.now();
  meter.start();
  let exitCode: number;
  try {
    exitCode = await runTest(config, { stdout: log, stderr: log, stdoutIsTTY: false, stderrIsTTY: false }, signal);
  } catch (error) {
    meter.stop(step.durationMs);
    throw error;
  }
  const load = meter.stop(step.durationMs);
  return { exitCode, summary: readJson<SlaSummary>(join(step.dir, 'sla-summary.json')), engine: engineFigures(exportFile), load, wallMs: performance.now() - startedAt, logFile };
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function engineFigures(file: string): StepOutcome['engine'] {
  const metrics = readJson<{ metrics?: Record<string, Record<string, number> | undefined> }>(file)?.metrics ?? {};
  return {
    iterations: metrics.iterations?.count ?? 0,
    dropped: metrics.dropped_iterations?.count ?? 0,
    meanIterationMs: metrics.iteration_duration?.avg,
  };
}
