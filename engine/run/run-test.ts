import { availableParallelism } from 'node:os';
import { createExecutor } from '../execution/create-executor.ts';
import type { Executor, ScenarioCounters } from '../execution/context.ts';
import { planVus } from '../execution/vu-plan.ts';
import { defineBuiltinMetrics } from '../metrics/builtin-metrics.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { Thresholds, type ThresholdResult } from '../metrics/thresholds.ts';
import { Ledger } from '../modules/ledger.ts';
import { consolidateOptions, OptionsError } from '../options/consolidate.ts';
import { countBefore } from '../options/execution-segment.ts';
import type { TestOptions } from '../options/test-options.ts';
import { createOutput, type Output } from '../outputs/index.ts';
import { SummaryBreakdown } from '../summary/breakdown.ts';
import { formatLogLine, type Level, type LoggerConfig } from '../runtime/logger.ts';
import type { ScenarioWire, WorkerSetup } from '../runtime/messages.ts';
import { prepareScript, ScriptError } from '../script/prepare-script.ts';
import { originalStackTrace } from '../script/stack-trace.ts';
import type { PreparedScript } from '../script/vu-scope.ts';
import { banner } from './banner.ts';
import { ExitCode } from './exit-codes.ts';
import { inspectScript, type ScriptInspection } from './inspect-script.ts';
import { ProgressDisplay } from './progress-display.ts';
import type { RunConfig } from './run-config.ts';
import { SampleIntake } from './sample-intake.ts';
import { endOfTest } from './end-of-test.ts';
import { TestExecution } from './test-execution.ts';
import { Throttle } from './throttle.ts';
import { VuPool } from './vu-pool.ts';
import { workerBundle } from './worker-bundle.ts';
import { InitError, WorkerPool } from './worker-pool.ts';

/** How often abortOnFail thresholds are checked while the test runs, as k6 does. */
const THRESHOLD_CHECK_MS = 2000;
const VUS_SAMPLE_MS = 1000;
/** A change in active VUs shows in the `vus` metric and in k6/execution within this much. */
const VUS_CHANGE_MS = 50;

export interface TestIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

/** Why the test stopped early, if it did; the exit code follows from it. */
type Stop = { kind: 'thresholds'; result: ThresholdResult } | { kind: 'script'; reason: string } | { kind: 'signal'; signal: string };

/**
 * One test, as `k6 run` runs it: load the script, read its options, plan and initialize the VUs on the worker
 * threads, setup(), the scenarios, teardown(), then thresholds, the summary and the exit code.
 */
export async function runTest(config: RunConfig, io: TestIo, signal?: AbortSignal): Promise<number> {
  // Moved to the moment setup() starts, as k6 counts a test's duration; logs count their seconds from here.
  let testStart = Date.now();
  const log: LoggerConfig = {
    format: config.logFormat ?? (io.stderrIsTTY ? 'text' : 'logfmt'),
    testStart,
    colors: io.stderrIsTTY && !config.noColor,
    verbose: config.verbose,
  };
  const say = (level: Level, message: string, fields?: Record<string, string>): void => {
    const line = formatLogLine(log, level, message, fields);
    if (line !== undefined) io.stderr(line);
  };

  let script: PreparedScript;
  try {
    script = await prepareScript(config.scriptPath);
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    say('error', error.message);
    return ExitCode.scriptException;
  }

  let inspection: ScriptInspection;
  try {
    inspection = await inspectScript(script, config.env, (level, message) => say(level as Level, message, { source: 'console' }));
  } catch (error) {
    if (error instanceof Error && error.name === 'TestAbort') {
      say('error', error.message);
      return ExitCode.scriptAborted;
    }
    say('error', originalStackTrace(describe(error), script), { hint: 'script exception' });
    return ExitCode.scriptException;
  }

  let options: TestOptions;
  const registry = new MetricsRegistry();
  let thresholds: Thresholds | undefined;
  try {
    const consolidated = consolidateOptions(inspection.options, config.overrides);
    options = consolidated.options;
    for (const warning of consolidated.warnings) say('warn', warning);
    for (const [name, scenario] of Object.entries(options.scenarios)) {
      if (!inspection.functions.includes(scenario.exec)) throw new OptionsError([`executor ${name}: function '${scenario.exec}' not found in exports`]);
    }
    defineBuiltinMetrics(registry, options.systemTags);
    for (const metric of inspection.metrics) registry.define({ name: metric.name, type: metric.type, contains: metric.contains });
    if (!config.noThresholds) {
      thresholds = new Thresholds(options.thresholds, registry);
      for (const warning of thresholds.warnings) say('warn', warning);
    }
  } catch (error) {
    if (error instanceof OptionsError) for (const problem of error.problems) say('error', problem);
    else say('error', describe(error));
    return ExitCode.invalidConfig;
  }

  const scenarioEntries = Object.entries(options.scenarios);
  const plan = planVus(scenarioEntries.map(([, scenario]) => scenario), config.segment);
  const wholePlan = planVus(scenarioEntries.map(([, scenario]) => scenario), { from: 0, to: 1, index: 0, count: 1 });
  const intake = new SampleIntake(registry);
  const outputs: Output[] = [];
  try {
    for (const spec of config.outputs) {
      outputs.push(createOutput(spec, { env: config.env, cwd: config.cwd, thresholdsOf: (name) => (options.thresholds[name] ?? []).map((source) => source.threshold), warn: (line) => say('warn', line) }));
    }
  } catch (error) {
    say('error', describe(error));
    return ExitCode.invalidConfig;
  }
  if (!config.quiet) io.stdout(banner(config, options, outputs, plan));
  for (const output of outputs) await output.start();
  const breakdown = new SummaryBreakdown(config.summaryMode);
  intake.onSamples((samples) => {
    for (const sample of samples) breakdown.add(sample);
    for (const output of outputs) output.addSamples(samples);
  });

  const scenarioWires: ScenarioWire[] = scenarioEntries.map(([name, scenario]) => ({
    name,
    executor: scenario.executor,
    exec: scenario.exec,
    env: scenario.env,
    tags: scenario.tags,
    startTimeMs: scenario.startTimeMs,
    durationMs: scenarioLength(scenario),
  }));
  const setup: WorkerSetup = { script, options, env: config.env, testStart, log, scenarios: scenarioWires, sharedArrays: inspection.sharedArrays };
  const workerCount = Math.max(1, Math.min(config.workers ?? availableParallelism(), plan.possible || 1));
  let stop: Stop | undefined;
  let markedFailed = false;
  let crash: Error | undefined;
  let execution: TestExecution | undefined;
  const abortWith = (reason: Stop): void => {
    stop ??= reason;
    execution?.abort();
  };
  const workers = WorkerPool.start(await workerBundle(), workerCount, setup, {
    stdout: (text) => io.stdout(text),
    stderr: (text) => io.stderr(text),
    samples: (worker, batch) => intake.receive(worker, batch),
    iterationsDone: (_worker, ends) => execution?.ended(ends),
    abortTest: (reason) => {
      if (!stop) say('error', reason ? `test aborted: ${reason}` : 'test aborted');
      abortWith({ kind: 'script', reason });
    },
    failTest: (reason) => {
      say('error', reason ? `test marked as failed: ${reason}` : 'test marked as failed');
      markedFailed = true;
    },
    crashed: (error) => {
      crash = error;
      execution?.abort();
    },
  });
  const onSignal = (): void => abortWith({ kind: 'signal', signal: 'SIGINT' });
  signal?.addEventListener('abort', onSignal, { once: true });

  const progress = new ProgressDisplay(io, !config.quiet && io.stderrIsTTY);
  let setupJson: string | undefined;
  const baseTags = intake.internTags(options.tags);
  let pool: VuPool | undefined;
  try {
    pool = new VuPool(workers, countBefore(config.segment, wholePlan.planned), plan.possible);
    progress.phase(`initializing ${plan.planned} VUs`);
    try {
      await pool.initialize(plan.planned);
    } catch (error) {
      if (error instanceof InitError) {
        say('error', error.message, error.aborted ? {} : { hint: 'script exception' });
        return error.aborted ? ExitCode.scriptAborted : ExitCode.scriptException;
      }
      throw error;
    }

    testStart = Date.now();
    log.testStart = testStart;
    if (!options.noSetup && inspection.functions.includes('setup')) {
      progress.phase('setup()');
      const outcome = await withTimeout(workers.lifecycle('setup', undefined), options.setupTimeoutMs);
      if (outcome === 'timeout') {
        say('error', `setup() execution timed out after ${options.setupTimeoutMs / 1000} seconds`, { hint: 'You can increase the time limit via the setupTimeout option' });
        return ExitCode.setupTimeout;
      }
      if (!outcome.ok) {
        if (outcome.aborted) return await finishAborted(outcome.error ?? 'test aborted in setup()');
        say('error', outcome.error ?? 'setup() failed', { hint: 'script exception' });
        return ExitCode.scriptException;
      }
      setupJson = outcome.result;
    }
    const executorsStart = Date.now();
    workers.broadcast({ type: 'setupData', json: setupJson, testStart, executorsStart });

    execution = new TestExecution(workers, pool, config.segment, {
      dropped: (scenario, count) => intake.addLocal({ metric: registry.get('dropped_iterations')!, tags: { ...options.tags, ...(options.systemTags.includes('scenario') ? { scenario: scenario.name } : {}) }, value: count, time: Date.now() }),
      warn: (message) => say('warn', message),
    });
    if (stop) execution.abort();
    const running = execution;
    const executors: Array<[string, Executor, number]> = scenarioEntries.map(([name, scenario], index) => {
      const counters: ScenarioCounters = { index, name, started: 0, byVu: new Map() };
      return [name, createExecutor(scenario, counters, config.segment), scenario.startTimeMs];
    });
    progress.start(executors.map(([name, executor]) => ({ name, progress: executor.progress })), () => ({ elapsedMs: running.now(), vus: pool!.leased, vusMax: pool!.initialized, ...running.counts }));

    const sendStats = (): void => {
      workers.broadcast({ type: 'stats', stats: { iterationsCompleted: running.counts.completed, iterationsInterrupted: running.counts.interrupted, vusActive: pool!.leased, vusInitialized: pool!.initialized } });
    };
    const emitVus = (): void => {
      const time = Date.now();
      intake.addLocal({ metric: registry.get('vus')!, tags: baseTags, value: pool!.leased, time });
      intake.addLocal({ metric: registry.get('vus_max')!, tags: baseTags, value: pool!.initialized, time });
      sendStats();
    };
    // k6 samples `vus` every second; a ramp up shows at once too, and k6/execution's counts follow every change.
    const vusChange = new Throttle(VUS_CHANGE_MS, emitVus);
    const statsChange = new Throttle(VUS_CHANGE_MS, sendStats);
    pool.onChange = (grew) => (grew ? vusChange : statsChange).request();
    const vusTimer = setInterval(emitVus, VUS_SAMPLE_MS);
    const thresholdTimer = setInterval(() => {
      const due = thresholds?.abortDue(Date.now() - testStart);
      if (due) {
        say('error', `thresholds on metrics '${due.metricName}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`);
        abortWith({ kind: 'thresholds', result: due });
      }
    }, THRESHOLD_CHECK_MS);
    try {
      await Promise.all(executors.map(async ([, executor, startTimeMs]) => {
        if (!(await running.sleepUntil(startTimeMs))) return;
        await executor.run(running.forScenario(startTimeMs));
      }));
    } finally {
      clearInterval(vusTimer);
      clearInterval(thresholdTimer);
      vusChange.cancel();
      statsChange.cancel();
      pool.onChange = () => {};
      progress.stop();
    }
    if (crash) throw crash;

    if (!options.noTeardown && inspection.functions.includes('teardown') && stop?.kind !== 'signal') {
      const outcome = await withTimeout(workers.lifecycle('teardown', setupJson), options.teardownTimeoutMs);
      if (outcome === 'timeout') {
        say('error', `teardown() execution timed out after ${options.teardownTimeoutMs / 1000} seconds`, { hint: 'You can increase the time limit via the teardownTimeout option' });
        return await finish(ExitCode.teardownTimeout);
      }
      if (!outcome.ok && !outcome.aborted) {
        say('error', outcome.error ?? 'teardown() failed', { hint: 'script exception' });
        return await finish(ExitCode.scriptException);
      }
      if (!outcome.ok && outcome.aborted) abortWith({ kind: 'script', reason: outcome.error ?? 'test aborted in teardown()' });
    }
    return await finish(undefined);
  } finally {
    signal?.removeEventListener('abort', onSignal);
    progress.stop();
    await workers.stop();
    for (const output of outputs) await output.stop();
  }

  /** Thresholds, the summary, and the exit code: every run that got past its VUs' init ends here. */
  async function finish(forced: number | undefined): Promise<number> {
    const ledgers = await workers.drain();
    const ledger = new Ledger();
    for (const snapshot of ledgers) ledger.merge(snapshot);
    const durationMs = Date.now() - testStart;
    const results = thresholds?.evaluate(durationMs) ?? [];
    const crossed = [...new Set(results.filter((result) => !result.ok).map((result) => result.metricName))];
    if (crossed.length > 0) say('error', `thresholds on metrics '${crossed.join("', '")}' have been crossed`);
    await endOfTest({ config, io, registry, results, intake, breakdown, options, durationMs, workers, ledger: ledger.snapshot(), setupData: setupJson === undefined ? undefined : JSON.parse(setupJson), hasHandleSummary: inspection.functions.includes('handleSummary'), say });
    if (forced !== undefined) return forced;
    if (stop?.kind === 'script') return ExitCode.scriptAborted;
    if (stop?.kind === 'signal') return ExitCode.externalAbort;
    if (stop?.kind === 'thresholds' || results.some((result) => !result.ok)) return ExitCode.thresholdsFailed;
    if (markedFailed) return ExitCode.markedAsFailed;
    return ExitCode.ok;
  }

  /** setup() called test.abort(): the abortTest message has said so already. */
  async function finishAborted(reason: string): Promise<number> {
    stop ??= { kind: 'script', reason };
    return finish(undefined);
  }
}

function scenarioLength(scenario: TestOptions['scenarios'][string]): number {
  switch (scenario.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return scenario.maxDurationMs;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return scenario.durationMs;
    default:
      return scenario.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
