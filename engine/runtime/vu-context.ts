import type { MetricType, TagSet, ValueType } from '../metrics/types.ts';
import type { TestOptions } from '../options/test-options.ts';

/** Where a VU is in k6's lifecycle. k6 allows some calls in one stage only (`open()` in init, HTTP outside it). */
export type Stage = 'init' | 'setup' | 'iteration' | 'teardown' | 'summary';

/** A metric as a VU holds it: registered once per worker by name, emitted by id. */
export interface MetricRef {
  readonly id: number;
  readonly name: string;
  readonly type: MetricType;
  readonly contains: ValueType;
}

/** What k6/execution reads about the VU and its current iteration. */
export interface VuExecutionState {
  /** The scenario the VU is running, undefined in init, setup, teardown and the summary. */
  scenario: ScenarioInfo | undefined;
  /** The VU's iterations in this instance so far, across scenarios (the current one included, from 0). */
  iterationInInstance: number;
  /** The current iteration's number within its scenario for this VU, from 0. */
  iterationInScenario: number;
  /** The current iteration's number within its scenario over the whole test (every VU, every instance), from 0. */
  iterationInTest: number;
  /** The current iteration's number within its scenario in this instance (every VU), from 0. */
  scenarioIterationInInstance: number;
}

export interface ScenarioInfo {
  name: string;
  executor: string;
  /** When the scenario starts, ms since the Unix epoch (k6/execution's scenario.startTime). */
  readonly startTime: number;
  /** 0..1, how far the scenario has gone, as k6/execution's `scenario.progress`. */
  progress(): number;
}

/**
 * What a k6 module sees of the VU it was instantiated for. One object per VU; every k6 module instance of that VU
 * holds it. Everything a module does for a VU goes through here: tags, samples, the VU's event loop, its stage.
 *
 * The event loop: an iteration ends when the default function has settled and every hold() is released. A module
 * takes a hold for each pending operation (a timer, an open socket, a request in flight) and releases it when done.
 * Callbacks coming from I/O (a socket's message, a timer firing) go through dispatch(), so that an exception in them
 * ends the iteration with that error, as in k6.
 */
export interface VuContext {
  /** `__VU`: the VU's id in this instance, from 1; 0 for the VU that runs setup, teardown and handleSummary. */
  readonly id: number;
  /** k6/execution's `vu.idInTest`: unique across every instance of a distributed test. */
  readonly idInTest: number;
  /** `__ENV`: the process environment plus `-e`, plus the scenario's `env` while it runs. */
  readonly env: Record<string, string>;
  /** The consolidated test options (script options merged with flags), frozen. */
  readonly options: TestOptions;
  /** The test's start, ms since the Unix epoch. */
  readonly testStart: number;
  readonly execution: VuExecutionState;
  /** The directory of the script, for `open()` with a relative path. */
  readonly scriptDir: string;

  stage(): Stage;

  // Tags ----------------------------------------------------------------------------------------------------------

  /**
   * The tags every sample of this VU carries now: options.tags, the scenario's tags, `scenario` and `group` (when
   * they are system tags), and `exec.vu.metrics.tags`. Cached: the same object until one of those changes.
   */
  tags(): TagSet;
  /** Whether k6's `systemTags` option enables this tag (`url`, `status`, `method`, `name`, `group`, …). */
  systemTag(name: string): boolean;
  /** `group` tag value: `""` at the root, `::outer::inner` inside groups. */
  groupPath(): string;
  setGroupPath(path: string): void;
  /** `exec.vu.metrics.tags`: tags the script sets on the VU; every later sample carries them. */
  readonly vuTags: Record<string, string>;
  /** Must be called after the script changed vuTags, so that tags() is rebuilt. */
  vuTagsChanged(): void;

  // Metrics -------------------------------------------------------------------------------------------------------

  /** Registers a metric (or returns the one with that name). Throws if the name exists with another type. */
  metric(name: string, type: MetricType, contains?: ValueType): MetricRef;
  /** One sample. `time` defaults to now (ms since the epoch). Dropped once the VU is interrupted. */
  emit(metric: MetricRef, value: number, tags: TagSet, time?: number): void;
  /** A check's outcome, tallied for the summary's checks list (the `checks` sample is emitted separately). */
  tallyCheck(groupPath: string, name: string, ok: boolean): void;

  // The VU's event loop --------------------------------------------------------------------------------------------

  /** A pending operation the iteration must wait for; call the returned function once it is done (idempotent). */
  hold(): () => void;
  /** Runs a callback from I/O on behalf of the VU: a throw or a rejected promise ends the iteration with that error. */
  dispatch(callback: () => unknown): void;
  /** Aborted when the VU is interrupted (gracefulStop ran out, test aborted): close sockets, cancel requests. */
  readonly signal: AbortSignal;

  // Control -------------------------------------------------------------------------------------------------------

  /** k6/execution `test.abort()`: stops the whole test, exit code 108. */
  abortTest(reason: string): void;
  /** k6/execution `test.fail()`: the test goes on, but its exit code is 110. */
  failTest(reason: string): void;
  /** console and the engine's own warnings, with k6's levels. */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/** A module instance may carry a function under this key: called when its VU is dropped, to close what it holds. */
export const DISPOSE_MODULE: unique symbol = Symbol.for('agent-sla.dispose-module');

/** A k6 module as the engine registers it: instantiated once per VU, for that VU. */
export interface ModuleDefinition {
  /** The import specifier: `k6/http`. */
  name: string;
  /** The module's named exports for this VU; `default` is what `import x from` gets. */
  instantiate(vu: VuContext): Record<string, unknown>;
}
