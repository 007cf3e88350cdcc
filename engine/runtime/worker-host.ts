import { runInThisContext } from 'node:vm';
import { dirname } from 'node:path';
import { loadSharedArrays } from '../modules/data.ts';
import { workerLedger } from '../modules/ledger.ts';
import { originalStackTrace } from '../script/stack-trace.ts';
import type { ScriptFactory } from '../script/vu-scope.ts';
import { markEngine } from './engine-marker.ts';
import { instanceStats, updateInstanceStats } from './instance-stats.ts';
import { formatLogLine } from './logger.ts';
import { IterationOutcome, type FromWorker, type IterationStart, type Lifecycle, type ToWorker, type WorkerSetup } from './messages.ts';
import { SampleBatcher } from './sample-batcher.ts';
import { MetricTable, TagInterner } from './sample-sink.ts';
import { describeError, now, Vu, type IterationEnd, type LogLevel, type VuHost } from './vu.ts';
import type { ScenarioInfo } from './vu-context.ts';
import { VuInstance } from './vu-instance.ts';

type Send = (message: FromWorker, transfer?: ArrayBuffer[]) => void;

interface Hosted {
  instance: VuInstance;
  scenario: number;
  /** The scenario env keys this VU's __ENV carries now, to remove when it changes scenario. */
  scenarioEnvKeys: string[];
}

/**
 * One worker thread's VUs: it compiles the script once, evaluates its module body once per VU, and runs the
 * iterations and lifecycle functions the main thread asks for, reporting samples and outcomes back.
 */
export class WorkerHost {
  private readonly factory: ScriptFactory;
  private readonly host: VuHost;
  private readonly batcher: SampleBatcher;
  private readonly vus = new Map<number, Hosted>();
  private readonly scenarios: ScenarioInfo[];
  private lifecycleVu: VuInstance | undefined;
  private setupJson: string | undefined;
  private ends: Array<[number, IterationOutcome]> = [];
  private endsScheduled = false;

  constructor(
    private readonly setup: WorkerSetup,
    private readonly send: Send,
  ) {
    markEngine();
    loadSharedArrays(setup.sharedArrays);
    instanceStats.testStart = setup.testStart;
    this.factory = runInThisContext(setup.script.code, { filename: setup.script.filename }) as ScriptFactory;
    this.batcher = new SampleBatcher((batch, transfer) => send({ type: 'samples', batch }, transfer));
    this.host = {
      clock: { testStart: setup.testStart, executorsStart: setup.testStart },
      metrics: new MetricTable(this.batcher),
      tagIds: new TagInterner(this.batcher),
      sink: this.batcher,
      log: (level, message, source) => this.log(level, message, source ? { source } : {}),
      abortTest: (reason) => send({ type: 'abortTest', reason }),
      failTest: (reason) => send({ type: 'failTest', reason }),
    };
    this.scenarios = setup.scenarios.map((wire) => {
      const startedAt = () => this.host.clock.executorsStart + wire.startTimeMs;
      return {
        name: wire.name,
        executor: wire.executor,
        get startTime() {
          return startedAt();
        },
        progress: () => (wire.durationMs > 0 ? Math.min(1, Math.max(0, (now() - startedAt()) / wire.durationMs)) : 0),
      };
    });
  }

  async handle(message: ToWorker): Promise<void> {
    switch (message.type) {
      case 'createVus':
        return this.createVus(message.request, message.vus);
      case 'iterate':
        instanceStats.vusActive = message.vusActive;
        for (const start of message.starts) this.iterate(start);
        return;
      case 'interrupt':
        for (const id of message.vus) this.vus.get(id)?.instance.vu.interrupt();
        return;
      case 'setupData':
        this.setupJson = message.json;
        this.host.clock.testStart = message.testStart;
        instanceStats.testStart = message.testStart;
        this.host.clock.executorsStart = message.executorsStart;
        return;
      case 'lifecycle':
        if (message.ledger) {
          workerLedger.clear();
          workerLedger.merge(message.ledger);
        }
        return this.runLifecycle(message.request, message.stage, message.arg);
      case 'stats':
        updateInstanceStats(message.stats);
        return;
      case 'exit':
        process.exit(0);
        return;
      case 'drain':
        this.flushEnds();
        this.batcher.flush();
        this.send({ type: 'drained', request: message.request, ledger: workerLedger.snapshot() });
        return;
    }
  }

  private newVu(id: number, idInTest: number): Vu {
    return new Vu({ id, idInTest, env: { ...this.setup.env }, options: this.setup.options, scriptDir: this.setup.script.directory || dirname(this.setup.script.filename), host: this.host });
  }

  private async createVus(request: number, specs: Array<{ id: number; idInTest: number }>): Promise<void> {
    const ids: number[] = [];
    try {
      for (const spec of specs) {
        const instance = await VuInstance.create(this.factory, this.newVu(spec.id, spec.idInTest));
        this.vus.set(spec.id, { instance, scenario: -1, scenarioEnvKeys: [] });
        ids.push(spec.id);
      }
      this.send({ type: 'vusCreated', request, ids });
    } catch (error) {
      this.batcher.flush();
      this.send({ type: 'vusCreated', request, ids, error: isTestAbort(error) ? (error as Error).message : this.explain(error), aborted: isTestAbort(error) });
    }
  }

  private iterate(start: IterationStart): void {
    const hosted = this.vus.get(start.vu);
    if (!hosted) {
      this.ended(start.vu, IterationOutcome.Interrupted);
      return;
    }
    const { instance } = hosted;
    const vu = instance.vu;
    const wire = this.setup.scenarios[start.scenario]!;
    if (hosted.scenario !== start.scenario) this.enterScenario(hosted, start.scenario);
    const execution = vu.execution;
    execution.iterationInInstance++;
    execution.iterationInScenario = start.iterationInScenario;
    execution.iterationInTest = start.iterationInTest;
    execution.scenarioIterationInInstance = start.scenarioIterationInInstance;
    instance.script.setIteration(execution.iterationInInstance);
    vu.setStage('iteration');
    const fn = instance.exported(wire.exec);
    const data = instance.data(this.setupJson);
    const startedAt = now();
    void vu.runIteration(() => (fn as (data: unknown) => unknown)(data)).then((end) => {
      vu.setGroupPath('');
      if (end.kind !== 'interrupted') {
        const endedAt = now();
        const tags = vu.tags();
        vu.emit(vu.metric('iterations', 'counter'), 1, tags, endedAt);
        vu.emit(vu.metric('iteration_duration', 'trend', 'time'), endedAt - startedAt, tags, endedAt);
      }
      if (end.kind === 'error' && !isTestAbort(end.error)) this.log('error', this.explain(end.error), { executor: wire.executor, scenario: wire.name, source: 'stacktrace' });
      if (vu.isRetired) {
        this.vus.delete(vu.id);
        instance.dispose();
      }
      this.ended(vu.id, outcomeOf(end));
    });
  }

  private enterScenario(hosted: Hosted, index: number): void {
    const wire = this.setup.scenarios[index]!;
    const vu = hosted.instance.vu;
    for (const key of hosted.scenarioEnvKeys) {
      if (key in this.setup.env) vu.env[key] = this.setup.env[key]!;
      else delete vu.env[key];
    }
    Object.assign(vu.env, wire.env);
    hosted.scenarioEnvKeys = Object.keys(wire.env);
    hosted.scenario = index;
    execReset(vu);
    vu.enterScenario(this.scenarios[index], wire.tags);
  }

  private async runLifecycle(request: number, stage: Lifecycle, arg: string | undefined): Promise<void> {
    try {
      this.lifecycleVu ??= await VuInstance.create(this.factory, this.newVu(0, 0));
    } catch (error) {
      this.batcher.flush();
      this.send({ type: 'lifecycleDone', request, stage, ok: false, error: this.explain(error) });
      return;
    }
    const instance = this.lifecycleVu;
    const vu = instance.vu;
    const name = stage === 'summary' ? 'handleSummary' : stage;
    const fn = instance.exported(name);
    vu.setStage(stage);
    vu.setGroupPath(stage === 'summary' ? '' : `::${stage}`);
    let result: unknown;
    const end: IterationEnd = await vu.runIteration(() => {
      if (typeof fn !== 'function') return undefined;
      const input = arg === undefined ? undefined : JSON.parse(arg);
      const returned = (fn as (input: unknown) => unknown)(input);
      return Promise.resolve(returned).then((value) => (result = value));
    });
    vu.setGroupPath('');
    this.batcher.flush();
    if (end.kind === 'done') {
      try {
        if (stage === 'summary') this.send({ type: 'lifecycleDone', request, stage, ok: true, summary: result });
        else this.send({ type: 'lifecycleDone', request, stage, ok: true, ...optional('result', jsonOf(result)) });
      } catch (error) {
        this.send({ type: 'lifecycleDone', request, stage, ok: false, error: `${name}() returned what cannot leave the VU: ${this.explain(error)}` });
      }
      return;
    }
    const aborted = end.kind === 'error' && isTestAbort(end.error);
    this.send({ type: 'lifecycleDone', request, stage, ok: false, aborted, error: end.kind === 'error' ? this.explain(end.error) : 'interrupted' });
  }

  private ended(vu: number, outcome: IterationOutcome): void {
    this.ends.push([vu, outcome]);
    if (!this.endsScheduled) {
      this.endsScheduled = true;
      setImmediate(() => this.flushEnds());
    }
  }

  private flushEnds(): void {
    this.endsScheduled = false;
    if (this.ends.length === 0) return;
    // Samples follow on their own schedule: the main thread needs them all only at the end, when it drains.
    const ends = this.ends;
    this.ends = [];
    this.send({ type: 'iterationsDone', ends });
  }

  uncaught(reason: unknown): void {
    this.log('error', `Uncaught (in promise) ${this.explain(reason)}`, { source: 'stacktrace' });
  }

  /** An exception as the user should see it: its stack in the script's own files and lines. */
  private explain(error: unknown): string {
    const stack = originalStackTrace(describeError(error), this.setup.script);
    // The engine's own frames (this bundle, Node's internals) say nothing about the script: k6 shows only the script's.
    return stack
      .split('\n')
      .filter((line) => !/^\s+at .*(node:internal|\/engine\/worker-[0-9a-f]+\.cjs)/.test(line))
      .join('\n');
  }

  private log(level: LogLevel, message: string, fields: Record<string, string>): void {
    const line = formatLogLine(this.setup.log, level, message, fields);
    if (line !== undefined) process.stderr.write(line);
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function execReset(vu: Vu): void {
  vu.execution.iterationInScenario = -1;
}

function outcomeOf(end: IterationEnd): IterationOutcome {
  return end.kind === 'done' ? IterationOutcome.Done : end.kind === 'error' ? IterationOutcome.Error : IterationOutcome.Interrupted;
}

function isTestAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'TestAbort';
}

/** setup()'s data as k6 passes it on: JSON, so functions and cycles do not survive. */
function jsonOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return JSON.stringify(value);
}
