import { availableParallelism } from 'node:os';
import { scenarioLength } from '../execution/scenario-length.ts';
import { planVus } from '../execution/vu-plan.ts';
import type { ThresholdResult } from '../metrics/thresholds.ts';
import { Ledger } from '../modules/ledger.ts';
import { countBefore, WHOLE_TEST } from '../options/execution-segment.ts';
import { createOutput, type Output } from '../outputs/index.ts';
import { formatLogLine, type LoggerConfig } from '../runtime/logger.ts';
import type { Lifecycle, WorkerSetup } from '../runtime/messages.ts';
import { SummaryBreakdown } from '../summary/breakdown.ts';
import { banner } from './banner.ts';
import { endOfTest } from './end-of-test.ts';
import { ExitCode } from './exit-codes.ts';
import { describeError, loadTest, type Say } from './load-test.ts';
import { ProgressDisplay } from './progress-display.ts';
import type { RunConfig } from './run-config.ts';
import { runScenarios } from './run-scenarios.ts';
import { SampleIntake } from './sample-intake.ts';
import { TestExecution } from './test-execution.ts';
import { VuPool } from './vu-pool.ts';
import { workerBundle } from './worker-bundle.ts';
import { InitError, WorkerPool, type LifecycleResult } from './worker-pool.ts';

export interface TestIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

/** Why the test stopped early, if it did; the exit code follows from it. */
type Stop = { kind: 'thresholds'; result: ThresholdResult } | { kind: 'script'; reason: string } | { kind: 'signal' };

/**
 * One test, as `k6 run` runs it: load the script and its options, plan and initialize the VUs on the worker threads,
 * setup(), the scenarios, teardown(), then thresholds, the summary and the exit code. `signal` is Ctrl-C: the test
 * stops, its summary is still written, and it exits 105.
 */
export async function runTest(config: RunConfig, io: TestIo, signal?: AbortSignal): Promise<number> {
  const log: LoggerConfig = { format: config.logFormat ?? (io.stderrIsTTY ? 'text' : 'logfmt'), testStart: Date.now(), colors: io.stderrIsTTY && !config.noColor, verbose: config.verbose };
  const say: Say = (level, message, fields) => {
    const line = formatLogLine(log, level, message, fields);
    if (line !== undefined) io.stderr(line);
  };

  const loaded = await loadTest(config, say);
  if (typeof loaded === 'number') return loaded;
  const { script, inspection, options, registry, thresholds } = loaded;
  const scenarios = Object.values(options.scenarios);
  const plan = planVus(scenarios, config.segment);

  const outputs: Output[] = [];
  try {
    for (const spec of config.outputs) {
      const thresholdsOf = (name: string): string[] => (options.thresholds[name] ?? []).map((source) => source.threshold);
      outputs.push(createOutput(spec, { env: config.env, cwd: config.cwd, thresholdsOf, warn: (line) => say('warn', line) }));
    }
  } catch (error) {
    say('error', describeError(error));
    return ExitCode.invalidConfig;
  }
  if (!config.quiet) io.stdout(banner(config, options, outputs, plan));
  for (const output of outputs) await output.start();
  const intake = new SampleIntake(registry);
  const breakdown = new SummaryBreakdown(config.summaryMode);
  intake.onSamples((samples) => {
    for (const sample of samples) breakdown.add(sample);
    for (const output of outputs) output.addSamples(samples);
  });

  const setup: WorkerSetup = {
    script,
    options,
    env: config.env,
    testStart: log.testStart,
    log,
    sharedArrays: inspection.sharedArrays,
    scenarios: Object.entries(options.scenarios).map(([name, scenario]) => ({
      name,
      executor: scenario.executor,
      exec: scenario.exec,
      env: scenario.env,
      tags: scenario.tags,
      startTimeMs: scenario.startTimeMs,
      durationMs: scenarioLength(scenario),
    })),
  };
  let stop: Stop | undefined;
  let markedFailed = false;
  let crash: Error | undefined;
  let execution: TestExecution | undefined;
  const abortWith = (reason: Stop): void => {
    stop ??= reason;
    execution?.abort();
  };
  const workers = WorkerPool.start(await workerBundle(), Math.max(1, Math.min(config.workers ?? availableParallelism(), plan.possible || 1)), setup, {
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
  const onSignal = (): void => abortWith({ kind: 'signal' });
  signal?.addEventListener('abort', onSignal, { once: true });
  const progress = new ProgressDisplay(io, !config.quiet && io.stderrIsTTY);
  let setupJson: string | undefined;

  /** Thresholds, the summary, and the exit code: every test that got past its VUs' init ends here. */
  const finish = async (forced?: number): Promise<number> => {
    const ledger = new Ledger();
    for (const snapshot of await workers.drain()) ledger.merge(snapshot);
    const durationMs = Date.now() - log.testStart;
    const results = thresholds?.evaluate(durationMs) ?? [];
    const crossed = [...new Set(results.filter((result) => !result.ok).map((result) => result.metricName))];
    if (crossed.length > 0) say('error', `thresholds on metrics '${crossed.join(', ')}' have been crossed`);
    const setupData = setupJson === undefined ? undefined : JSON.parse(setupJson);
    await endOfTest({ config, io, registry, results, intake, breakdown, options, durationMs, workers, ledger: ledger.snapshot(), setupData, hasHandleSummary: inspection.functions.includes('handleSummary'), say });
    if (forced !== undefined) return forced;
    if (stop?.kind === 'script') return ExitCode.scriptAborted;
    if (stop?.kind === 'signal') return ExitCode.externalAbort;
    if (stop?.kind === 'thresholds' || results.some((result) => !result.ok)) return ExitCode.thresholdsFailed;
    return markedFailed ? ExitCode.markedAsFailed : ExitCode.ok;
  };

  try {
    const pool = new VuPool(workers, countBefore(config.segment, planVus(scenarios, WHOLE_TEST).planned), plan.possible);
    progress.phase(`initializing ${plan.planned} VUs`);
    try {
      await pool.initialize(plan.planned);
    } catch (error) {
      if (!(error instanceof InitError)) throw error;
      say('error', error.message, error.aborted ? {} : { hint: 'script exception' });
      return error.aborted ? ExitCode.scriptAborted : ExitCode.scriptException;
    }

    // k6 counts a test's duration, and its logs their seconds, from here.
    log.testStart = Date.now();
    if (!options.noSetup && inspection.functions.includes('setup')) {
      progress.phase('setup()');
      const outcome = await lifecycle(workers, 'setup', undefined, options.setupTimeoutMs);
      if (outcome === 'timeout') {
        say('error', `setup() execution timed out after ${options.setupTimeoutMs / 1000} seconds`, { hint: 'You can increase the time limit via the setupTimeout option' });
        return ExitCode.setupTimeout;
      }
      if (!outcome.ok) {
        // test.abort() in setup(): its abortTest message has said why.
        if (outcome.aborted) return await finish();
        say('error', outcome.error ?? 'setup() failed', { hint: 'script exception' });
        return ExitCode.scriptException;
      }
      setupJson = outcome.result;
    }
    workers.broadcast({ type: 'setupData', json: setupJson, testStart: log.testStart, executorsStart: Date.now() });

    execution = new TestExecution(workers, pool, config.segment, {
      dropped: (scenario, count) => {
        const tags = { ...options.tags, ...(options.systemTags.includes('scenario') ? { scenario: scenario.name } : {}) };
        intake.addLocal({ metric: registry.get('dropped_iterations')!, tags, value: count, time: Date.now() });
      },
      warn: (message) => say('warn', message),
    });
    if (stop) execution.abort();
    await runScenarios({
      options,
      arrivals: config.arrivals,
      segment: config.segment,
      execution,
      pool,
      workers,
      registry,
      intake,
      progress,
      checkAbort: () => {
        const due = thresholds?.abortDue(Date.now() - log.testStart);
        if (!due) return;
        say('error', `thresholds on metrics '${due.metricName}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`);
        abortWith({ kind: 'thresholds', result: due });
      },
    });
    if (crash) throw crash;

    if (!options.noTeardown && inspection.functions.includes('teardown') && stop?.kind !== 'signal') {
      const outcome = await lifecycle(workers, 'teardown', setupJson, options.teardownTimeoutMs);
      if (outcome === 'timeout') {
        say('error', `teardown() execution timed out after ${options.teardownTimeoutMs / 1000} seconds`, { hint: 'You can increase the time limit via the teardownTimeout option' });
        return await finish(ExitCode.teardownTimeout);
      }
      if (!outcome.ok && !outcome.aborted) {
        say('error', outcome.error ?? 'teardown() failed', { hint: 'script exception' });
        return await finish(ExitCode.scriptException);
      }
    }
    return await finish();
  } finally {
    signal?.removeEventListener('abort', onSignal);
    progress.stop();
    await workers.stop();
    for (const output of outputs) await output.stop();
  }
}

/** setup() or teardown() on the lifecycle VU, within its timeout. */
async function lifecycle(workers: WorkerPool, stage: Lifecycle, arg: string | undefined, timeoutMs: number): Promise<LifecycleResult | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    return await Promise.race([workers.lifecycle(stage, arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
