import { setMaxListeners } from 'node:events';
import type { MetricType, TagSet, ValueType } from '../metrics/types.ts';
import type { TestOptions } from '../options/test-options.ts';
import type { MetricTable, SampleSink, TagInterner } from './sample-sink.ts';
import type { MetricRef, ScenarioInfo, Stage, VuContext, VuExecutionState } from './vu-context.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** How the worker reaches the rest of the test: logs, and the two calls that end or fail it. */
export interface VuHost {
  /** When the test started (ms since the epoch): set when setup() is about to run, shared by every VU. */
  clock: { testStart: number; executorsStart: number };
  metrics: MetricTable;
  tagIds: TagInterner;
  sink: SampleSink;
  /** source: 'console' for what the script printed, undefined for what the engine or a module says. */
  log(level: LogLevel, message: string, source?: 'console'): void;
  abortTest(reason: string): void;
  failTest(reason: string): void;
}

export interface VuInit {
  id: number;
  idInTest: number;
  env: Record<string, string>;
  options: TestOptions;
  scriptDir: string;
  host: VuHost;
}

/** How an iteration ended. */
export type IterationEnd = { kind: 'done' } | { kind: 'error'; error: unknown } | { kind: 'interrupted' };

/** Milliseconds since the epoch with sub-millisecond precision. */
export const now = (): number => performance.timeOrigin + performance.now();

/**
 * One VU's state and event loop. The k6 modules of the VU see it as a VuContext; the worker drives it with
 * runIteration() and interrupt().
 */
export class Vu implements VuContext {
  readonly id: number;
  readonly idInTest: number;
  readonly env: Record<string, string>;
  readonly options: TestOptions;
  readonly scriptDir: string;
  readonly execution: VuExecutionState = { scenario: undefined, iterationInInstance: -1, iterationInScenario: -1, iterationInTest: -1, scenarioIterationInInstance: -1 };
  readonly vuTags: Record<string, string> = {};

  private readonly host: VuHost;
  private readonly enabledSystemTags: ReadonlySet<string>;
  private currentStage: Stage = 'init';
  private group = '';
  private scenarioTags: Record<string, string> = {};
  private cachedTags: TagSet | undefined;
  private retired = false;

  // The event loop of the running iteration.
  private pending = 0;
  private settled = true;
  /** Counts iterations, so that a hold released after its iteration ended cannot touch the next one. */
  private generation = 0;
  private finishCheck: NodeJS.Immediate | undefined;
  private controller: AbortController | undefined;
  private finish: ((end: IterationEnd) => void) | undefined;

  constructor(init: VuInit) {
    this.id = init.id;
    this.idInTest = init.idInTest;
    this.env = init.env;
    this.options = init.options;
    this.scriptDir = init.scriptDir;
    this.host = init.host;
    this.enabledSystemTags = new Set(init.options.systemTags);
  }

  get testStart(): number {
    return this.host.clock.testStart;
  }

  stage(): Stage {
    return this.currentStage;
  }

  setStage(stage: Stage): void {
    this.currentStage = stage;
  }

  /** Whether the VU was interrupted; the worker drops it and makes a fresh one if the test needs that id again. */
  get isRetired(): boolean {
    return this.retired;
  }

  // Tags ----------------------------------------------------------------------------------------------------------

  tags(): TagSet {
    if (this.cachedTags) return this.cachedTags;
    const tags: Record<string, string> = { ...this.options.tags, ...this.scenarioTags };
    const scenario = this.execution.scenario;
    if (scenario && this.enabledSystemTags.has('scenario')) tags.scenario = scenario.name;
    if (this.enabledSystemTags.has('group') && this.currentStage !== 'init') tags.group = this.group;
    Object.assign(tags, this.vuTags);
    this.cachedTags = Object.freeze(tags);
    return this.cachedTags;
  }

  systemTag(name: string): boolean {
    return this.enabledSystemTags.has(name);
  }

  groupPath(): string {
    return this.group;
  }

  setGroupPath(path: string): void {
    this.group = path;
    this.cachedTags = undefined;
  }

  vuTagsChanged(): void {
    this.cachedTags = undefined;
  }

  /** The scenario the next iterations belong to (undefined outside scenarios), with its own tags. */
  enterScenario(scenario: ScenarioInfo | undefined, tags: Record<string, string>): void {
    this.execution.scenario = scenario;
    this.scenarioTags = tags;
    this.cachedTags = undefined;
  }

  // Metrics -------------------------------------------------------------------------------------------------------

  metric(name: string, type: MetricType, contains: ValueType = 'default'): MetricRef {
    return this.host.metrics.metric(name, type, contains);
  }

  emit(metric: MetricRef, value: number, tags: TagSet, time: number = now()): void {
    if (this.retired) return;
    this.host.sink.sample(metric.id, this.host.tagIds.id(tags), value, time);
  }

  tallyCheck(groupPath: string, name: string, ok: boolean): void {
    if (this.retired) return;
    this.host.sink.check(groupPath, name, ok);
  }

  // The event loop -------------------------------------------------------------------------------------------------

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      // Every socket, timer and request of the iteration listens: a VU may hold hundreds at once.
      setMaxListeners(0, this.controller.signal);
    }
    return this.controller.signal;
  }

  hold(): () => void {
    this.pending++;
    const generation = this.generation;
    let released = false;
    return () => {
      if (released || generation !== this.generation) return;
      released = true;
      this.pending--;
      this.maybeFinish();
    };
  }

  dispatch(callback: () => unknown): void {
    if (this.retired) return;
    let result: unknown;
    try {
      result = callback();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (isThenable(result)) {
      const release = this.hold();
      // The failure first: released first, the last hold would end the iteration as done, and the error would be lost.
      result.then(release, (error: unknown) => {
        this.fail(error);
        release();
      });
    }
  }

  /**
   * Runs one call of a script function as k6 runs an iteration: it ends when the function has settled and nothing
   * is pending on the VU's event loop. A throw, a rejection or an exception in a callback ends it with that error;
   * whatever was still pending is then cancelled.
   */
  runIteration(fn: () => unknown): Promise<IterationEnd> {
    if (this.retired) return Promise.resolve({ kind: 'interrupted' });
    const ended = new Promise<IterationEnd>((resolve) => (this.finish = resolve));
    this.settled = false;
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      this.end({ kind: 'error', error });
      return ended;
    }
    if (isThenable(result)) {
      result.then(
        () => {
          this.settled = true;
          this.maybeFinish();
        },
        (error: unknown) => this.end({ kind: 'error', error }),
      );
    } else {
      this.settled = true;
      this.maybeFinish();
    }
    return ended;
  }

  /** Hard stop: the running iteration ends as interrupted, its operations are cancelled, and the VU is retired. */
  interrupt(): void {
    if (this.retired) return;
    this.end({ kind: 'interrupted' });
    this.retired = true;
  }

  private fail(error: unknown): void {
    if (this.finish) this.end({ kind: 'error', error });
    else this.log('error', `Uncaught (in callback): ${describeError(error)}`);
  }

  /**
   * The iteration is over once nothing is pending; but, as in k6's event loop, callbacks already queued (a `.then()`
   * of a request the script did not await) still run first: the check is made again after them.
   */
  private maybeFinish(): void {
    if (!this.finish || !this.settled || this.pending !== 0 || this.finishCheck) return;
    const generation = this.generation;
    this.finishCheck = setImmediate(() => {
      this.finishCheck = undefined;
      if (generation === this.generation && this.finish && this.settled && this.pending === 0) this.end({ kind: 'done' });
    });
  }

  private end(outcome: IterationEnd): void {
    const finish = this.finish;
    if (!finish) return;
    this.finish = undefined;
    this.settled = true;
    if (this.finishCheck) clearImmediate(this.finishCheck);
    this.finishCheck = undefined;
    // Cancel what the iteration left behind: after an error or an interruption, timers and sockets must not outlive it.
    if (outcome.kind !== 'done') this.controller?.abort(outcome.kind === 'interrupted' ? new Error('iteration interrupted') : outcome.error);
    this.controller = undefined;
    this.pending = 0;
    this.generation++;
    finish(outcome);
  }

  // Control -------------------------------------------------------------------------------------------------------

  abortTest(reason: string): void {
    this.host.abortTest(reason);
  }

  failTest(reason: string): void {
    this.host.failTest(reason);
  }

  log(level: LogLevel, message: string): void {
    this.host.log(level, message);
  }

  /** What the script printed with console.log and friends. */
  consoleLog(level: LogLevel, message: string): void {
    this.host.log(level, message, 'console');
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** An exception as k6 prints it: the message and, for an Error, its stack's first frame. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
