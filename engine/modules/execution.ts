import { instanceStats } from '../runtime/instance-stats.ts';
import { now } from '../runtime/vu.ts';
import type { ModuleDefinition, ScenarioInfo, VuContext } from '../runtime/vu-context.ts';

/**
 * k6/execution: the VU, its scenario, the instance and the test, read live at the moment of the call. Each VU gets
 * small objects holding only the VU; their getters live on shared prototypes.
 */
export const executionModule: ModuleDefinition = {
  name: 'k6/execution',
  instantiate(vu) {
    const members = { vu: new VuInfo(vu), scenario: new ScenarioView(vu), instance: INSTANCE, test: new TestControl(vu) };
    return { ...members, default: members };
  },
};

/** Thrown by test.abort() so that the calling iteration stops at once, as in k6. */
export class TestAbort extends Error {
  constructor(reason?: string) {
    super(reason === undefined ? 'test aborted' : `test aborted: ${reason}`);
    this.name = 'TestAbort';
  }
}

class VuInfo {
  readonly metrics: VuMetrics;

  constructor(private readonly vu: VuContext) {
    this.metrics = new VuMetrics(vu);
  }

  get idInInstance(): number {
    return this.vu.id;
  }

  get idInTest(): number {
    return this.vu.idInTest;
  }

  get iterationInInstance(): number {
    return Math.max(0, this.vu.execution.iterationInInstance);
  }

  get iterationInScenario(): number {
    return Math.max(0, this.vu.execution.iterationInScenario);
  }

  get tags(): Record<string, string> {
    return vuTagsView(this.vu);
  }
}

class VuMetrics {
  readonly metadata: Record<string, string> = {};

  constructor(private readonly vu: VuContext) {}

  get tags(): Record<string, string> {
    return vuTagsView(this.vu);
  }
}

class ScenarioView {
  constructor(private readonly vu: VuContext) {}

  private current(): ScenarioInfo {
    const scenario = this.vu.execution.scenario;
    if (!scenario) throw new Error('getting scenario information outside of the VU context is not supported');
    return scenario;
  }

  get name(): string {
    return this.current().name;
  }

  get executor(): string {
    return this.current().executor;
  }

  get startTime(): number {
    return this.current().startTime;
  }

  get progress(): number {
    return this.current().progress();
  }

  get iterationInInstance(): number {
    this.current();
    return Math.max(0, this.vu.execution.scenarioIterationInInstance);
  }

  get iterationInTest(): number {
    this.current();
    return Math.max(0, this.vu.execution.iterationInTest);
  }
}

/** The instance's counts, kept by the main thread for every VU; the same object serves them all. */
const INSTANCE = Object.freeze({
  get iterationsCompleted() {
    return instanceStats.iterationsCompleted;
  },
  get iterationsInterrupted() {
    return instanceStats.iterationsInterrupted;
  },
  get vusActive() {
    return instanceStats.vusActive;
  },
  get vusInitialized() {
    return instanceStats.vusInitialized;
  },
  get currentTestRunDuration() {
    return now() - instanceStats.testStart;
  },
});

class TestControl {
  constructor(private readonly vu: VuContext) {}

  abort(reason?: string): never {
    this.vu.abortTest(reason === undefined ? '' : String(reason));
    throw new TestAbort(reason);
  }

  fail(reason?: string): void {
    this.vu.failTest(reason === undefined ? '' : String(reason));
  }

  get options(): Record<string, unknown> {
    return this.vu.options.raw;
  }
}

const views = new WeakMap<VuContext, Record<string, string>>();

/** exec.vu.tags: an object the script writes to; each write changes the tags of the VU's later samples. */
function vuTagsView(vu: VuContext): Record<string, string> {
  let view = views.get(vu);
  if (!view) {
    view = new Proxy(vu.vuTags, {
      set(target, name, value: unknown) {
        if (typeof name !== 'string') return false;
        if (value !== null && typeof value === 'object') throw new Error(`invalid value for the tag "${name}": only strings, numbers and booleans are allowed`);
        target[name] = String(value);
        vu.vuTagsChanged();
        return true;
      },
      deleteProperty(target, name) {
        if (typeof name === 'string') delete target[name];
        vu.vuTagsChanged();
        return true;
      },
    });
    views.set(vu, view);
  }
  return view;
}
