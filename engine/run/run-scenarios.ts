import { evenGaps, poissonGaps } from '../execution/arrival-times.ts';
import { createExecutor } from '../execution/create-executor.ts';
import type { Executor, ScenarioCounters } from '../execution/context.ts';
import type { ExecutionSegment } from '../options/execution-segment.ts';
import type { TestOptions } from '../options/test-options.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { ProgressDisplay } from './progress-display.ts';
import type { RunConfig } from './run-config.ts';
import type { SampleIntake } from './sample-intake.ts';
import type { TestExecution } from './test-execution.ts';
import { Throttle } from './throttle.ts';
import type { VuPool } from './vu-pool.ts';
import type { WorkerPool } from './worker-pool.ts';

/** k6 samples `vus` every second; a change shows in the metric and in k6/execution's counts within 50 ms besides. */
const VUS_SAMPLE_MS = 1000;
const VUS_CHANGE_MS = 50;
/** How often abortOnFail thresholds are checked while the test runs, as k6 does. */
const THRESHOLD_CHECK_MS = 2000;

export interface ScenarioRun {
  options: TestOptions;
  arrivals: RunConfig['arrivals'];
  segment: ExecutionSegment;
  execution: TestExecution;
  pool: VuPool;
  workers: WorkerPool;
  registry: MetricsRegistry;
  intake: SampleIntake;
  progress: ProgressDisplay;
  /** Called every 2 s while the scenarios run: true stops the test (an abortOnFail threshold crossed). */
  checkAbort(): void;
}

/**
 * Every scenario from its startTime to its end (gracefulStop included), each by its executor, on one clock. While
 * they run, the `vus` and `vus_max` gauges are sampled, the workers learn the instance's counts, and abortOnFail
 * thresholds are checked.
 */
export async function runScenarios(run: ScenarioRun): Promise<void> {
  const { options, execution, pool, workers, registry, intake, progress } = run;
  const executors: Array<[string, Executor, number]> = Object.entries(options.scenarios).map(([name, scenario], index) => {
    const counters: ScenarioCounters = { index, name, started: 0, byVu: new Map() };
    const gaps = run.arrivals.kind === 'poisson' ? poissonGaps(run.arrivals.seed + index) : evenGaps;
    return [name, createExecutor(scenario, counters, run.segment, gaps), scenario.startTimeMs];
  });
  progress.start(executors.map(([name, executor]) => ({ name, progress: executor.progress })), () => ({ elapsedMs: execution.now(), vus: pool.leased, vusMax: pool.initialized, ...execution.counts }));

  const baseTags = intake.internTags(options.tags);
  const sendStats = (): void => {
    workers.broadcast({ type: 'stats', stats: { iterationsCompleted: execution.counts.completed, iterationsInterrupted: execution.counts.interrupted, vusActive: pool.leased, vusInitialized: pool.initialized } });
  };
  const emitVus = (): void => {
    const time = Date.now();
    intake.addLocal({ metric: registry.get('vus')!, tags: baseTags, value: pool.leased, time });
    intake.addLocal({ metric: registry.get('vus_max')!, tags: baseTags, value: pool.initialized, time });
    sendStats();
  };
  const vusChange = new Throttle(VUS_CHANGE_MS, emitVus);
  const statsChange = new Throttle(VUS_CHANGE_MS, sendStats);
  pool.onChange = (grew) => (grew ? vusChange : statsChange).request();
  const vusTimer = setInterval(emitVus, VUS_SAMPLE_MS);
  const thresholdTimer = setInterval(run.checkAbort, THRESHOLD_CHECK_MS);
  try {
    await Promise.all(
      executors.map(async ([, executor, startTimeMs]) => {
        if (!(await execution.sleepUntil(startTimeMs))) return;
        await executor.run(execution.forScenario(startTimeMs));
      }),
    );
  } finally {
    clearInterval(vusTimer);
    clearInterval(thresholdTimer);
    vusChange.cancel();
    statsChange.cancel();
    pool.onChange = () => {};
    progress.stop();
  }
}
