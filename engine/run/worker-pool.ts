import { Worker } from 'node:worker_threads';
import type { LedgerSnapshot } from '../modules/ledger.ts';
import type { FromWorker, IterationOutcome, Lifecycle, SampleBatch, ToWorker, WorkerSetup } from '../runtime/messages.ts';

export interface WorkerEvents {
  /** What the VUs print (console, logs, stack traces), in the order each worker wrote it. */
  stdout(text: string): void;
  stderr(text: string): void;
  samples(worker: number, batch: SampleBatch): void;
  iterationsDone(worker: number, ends: Array<[vu: number, outcome: IterationOutcome]>): void;
  abortTest(reason: string): void;
  failTest(reason: string): void;
  /** A worker died: the test cannot go on. */
  crashed(error: Error): void;
}

export type LifecycleResult = Extract<FromWorker, { type: 'lifecycleDone' }>;

/** How long a worker may take to end by itself before it is terminated. */
const EXIT_GRACE_MS = 2000;

/** An exception in the init code of a VU: k6 exits 107 for it, or 108 when the init code called test.abort(). */
export class InitError extends Error {
  constructor(
    message: string,
    readonly aborted = false,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(message: FromWorker): void;
  reject(error: Error): void;
}

/**
 * The worker threads that host the VUs. Messages to one worker are delivered in order; requests (VU creation,
 * lifecycle functions, drain) are matched to their answers by number. Commands to a worker are sent together at the
 * end of the current turn of the event loop, one message per worker, however many iterations start at once.
 */
export class WorkerPool {
  private readonly pending = new Map<number, Pending>();
  private nextRequest = 1;
  private readonly outbox: ToWorker[][];
  private flushScheduled = false;
  private exiting = false;

  private constructor(
    private readonly workers: Worker[],
    private readonly events: WorkerEvents,
  ) {
    this.outbox = workers.map(() => []);
    workers.forEach((worker, index) => {
      worker.on('message', (message: FromWorker) => this.receive(index, message));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.exiting) this.fail(new Error(`engine worker ${index} exited with code ${code}`));
      });
    });
  }

  static start(bundle: string, count: number, setup: WorkerSetup, events: WorkerEvents): WorkerPool {
    const young = Number(process.env.AGENT_SLA_WORKER_YOUNG_MB ?? 0);
    const resourceLimits = young > 0 ? { maxYoungGenerationSizeMb: young } : {};
    const workers = Array.from({ length: count }, () => new Worker(bundle, { workerData: setup, stdout: true, stderr: true, resourceLimits }));
    for (const worker of workers) {
      worker.stdout.setEncoding('utf8').on('data', (text: string) => events.stdout(text));
      worker.stderr.setEncoding('utf8').on('data', (text: string) => events.stderr(text));
    }
    return new WorkerPool(workers, events);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Queues a command; all queued commands go out at the end of this turn of the event loop. */
  send(worker: number, message: ToWorker): void {
    const queue = this.outbox[worker]!;
    // Iteration starts batch into one command.
    const last = queue[queue.length - 1];
    if (message.type === 'iterate' && last?.type === 'iterate') {
      last.starts.push(...message.starts);
      last.vusActive = message.vusActive;
    }
    else queue.push(message);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  broadcast(message: ToWorker): void {
    for (let worker = 0; worker < this.workers.length; worker++) this.send(worker, message);
  }

  async createVus(worker: number, vus: Array<{ id: number; idInTest: number }>): Promise<void> {
    const answer = await this.request(worker, (request) => ({ type: 'createVus', request, vus }));
    if (answer.type === 'vusCreated' && answer.error !== undefined) throw new InitError(answer.error, answer.aborted === true);
  }

  async lifecycle(stage: Lifecycle, arg: string | undefined, ledger?: LedgerSnapshot): Promise<LifecycleResult> {
    const answer = await this.request(0, (request) => ({ type: 'lifecycle', request, stage, arg, ...(ledger ? { ledger } : {}) }));
    return answer as LifecycleResult;
  }

  /** Every sample of every worker delivered, and their ledgers. */
  async drain(): Promise<LedgerSnapshot[]> {
    const answers = await Promise.all(this.workers.map((_, worker) => this.request(worker, (request) => ({ type: 'drain', request }))));
    return answers.map((answer) => (answer.type === 'drained' ? answer.ledger : { notes: {}, counts: {} }));
  }

  /** Ends every worker: politely first, so that what it printed last still arrives, then by force. */
  async stop(): Promise<void> {
    this.exiting = true;
    for (const [, pending] of this.pending) pending.reject(new Error('the engine stopped'));
    this.pending.clear();
    await Promise.all(
      this.workers.map(async (worker) => {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ type: 'exit' } satisfies ToWorker);
        const timer = setTimeout(() => void worker.terminate(), EXIT_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private request(worker: number, make: (request: number) => ToWorker): Promise<FromWorker> {
    const request = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(request, { resolve, reject });
      this.send(worker, make(request));
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    this.outbox.forEach((queue, index) => {
      for (const message of queue.splice(0)) this.workers[index]!.postMessage(message);
    });
  }

  private receive(worker: number, message: FromWorker): void {
    switch (message.type) {
      case 'samples':
        this.events.samples(worker, message.batch);
        return;
      case 'iterationsDone':
        this.events.iterationsDone(worker, message.ends);
        return;
      case 'abortTest':
        this.events.abortTest(message.reason);
        return;
      case 'failTest':
        this.events.failTest(message.reason);
        return;
      default: {
        const pending = this.pending.get(message.request);
        this.pending.delete(message.request);
        pending?.resolve(message);
      }
    }
  }

  private fail(error: Error): void {
    if (this.exiting) return;
    this.exiting = true;
    for (const [, pending] of this.pending) pending.reject(error);
    this.pending.clear();
    this.events.crashed(error);
  }
}
