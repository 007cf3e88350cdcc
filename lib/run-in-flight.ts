import { clearTimeout, setTimeout, type TimeoutID } from 'k6/timers';
import type { Config } from './config.ts';
import type { Frame, RunMode, RunStart, RunTracker } from './dialects/dialect.ts';
import { newRequestId } from './dialects/agent-sla.ts';
import { boundFor, type SlaId } from './sla-catalog.ts';
import { isTerminal, type LifecycleEvent, type Usage } from './dialects/lifecycle.ts';
import { recordError } from './availability.ts';
import {
  noteOffendingRun, recordCompletion, recordEvent, recordRun, recordTextDelta, recordTimeout, recordTransportCut, type FailureReason,
} from './run-record.ts';

export type { FailureReason };

export interface RunRequest {
  content: string;
  mode?: RunMode;
  threadId?: string;
  /** Idempotency key; a fresh one when absent. */
  requestId?: string;
}

export interface RunResult {
  requestId: string;
  runId: string;
  threadId: string | undefined;
  mode: RunMode;
  /** The run's frames, decoded. */
  events: LifecycleEvent[];
  /** What the terminal event reported; undefined when the backend reports no usage. */
  usage: Usage | undefined;
  /** user message sent → terminal event, ms. */
  responseMs: number;
}

/** What a scenario drives: a WebSocket session, or AG-UI's stream per run over HTTP. */
export interface Session {
  readonly closed: Promise<number | undefined>;
  run(request: RunRequest): Promise<RunResult>;
  close(): Promise<number | undefined>;
}

/** The start of a run as the dialect encodes it, with a fresh idempotency key unless one is given. */
export function runStart(request: RunRequest): RunStart {
  return {
    requestId: request.requestId ?? newRequestId(), content: request.content, mode: request.mode ?? 'single',
    ...(request.threadId !== undefined ? { threadId: request.threadId } : {}),
  };
}

/** Why a run rejected: the reason is also the `reason` tag of agent_runs_failed. */
export class RunFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly events: readonly LifecycleEvent[],
    readonly violations: readonly string[] = [],
    readonly closeCode?: number,
  ) {
    super(`agent run failed (${reason}): ${message}`);
    this.name = 'RunFailure';
  }
}

/**
 * One run, from its user message to its end, whatever carries its frames (a WebSocket, an SSE
 * stream): each frame is decoded by the dialect's tracker and measured; the terminal event, a
 * timeout or a cut transport settles it. `done` is called once, when it has.
 */
export class RunInFlight {
  readonly result: Promise<RunResult>;
  readonly sentAt = Date.now();
  private readonly tracker: RunTracker;
  private readonly events: LifecycleEvent[] = [];
  private settled = false;
  private firstDeltaMs = -1;
  private lastDeltaMs = -1;
  private resolve!: (result: RunResult) => void;
  private reject!: (failure: RunFailure) => void;
  private readonly timer: TimeoutID;

  constructor(
    private readonly config: Config,
    private readonly start: RunStart,
    private readonly tags: Record<string, string>,
    private readonly done: () => void,
  ) {
    this.tracker = config.dialect.startRun(start);
    this.result = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timer = setTimeout(() => this.timeout(), config.runTimeoutMs);
  }

  get ended(): boolean {
    return this.settled;
  }

  /** A frame received at `receivedAt` (ms since the epoch, from k6's own receive time). */
  frame(frame: Frame, receivedAt: number): void {
    if (this.settled) return;
    const event = this.tracker.accept(frame);
    if (!event) return;
    const elapsed = receivedAt - this.sentAt;
    recordEvent(event, elapsed, this.events.length === 0, this.tags);
    if (event.kind === 'ignorable') return;
    if (event.kind === 'text_delta') {
      recordTextDelta(elapsed, this.lastDeltaMs, this.tags);
      if (this.firstDeltaMs < 0) this.firstDeltaMs = elapsed;
      this.lastDeltaMs = elapsed;
    }
    this.events.push(event);
    if (isTerminal(event)) this.settle(event, elapsed);
  }

  /** A frame that is not a JSON object: the stream broke the protocol. */
  notJson(): void {
    if (!this.end()) return;
    recordRun(this.start.mode, false, false, undefined, this.tags);
    recordError('protocol', this.tags);
    this.reject(new RunFailure('invalid', 'a frame is not a JSON object', this.events, ['frame is not a JSON object']));
  }

  /** The transport closed before the terminal event: delivery failed, not the protocol. */
  cut(message: string, closeCode?: number): void {
    if (!this.end()) return;
    recordTransportCut(this.tags);
    this.reject(new RunFailure('closed', `${message} after ${this.events.length} events`, this.events, [], closeCode));
  }

  private settle(last: LifecycleEvent, elapsed: number): void {
    if (!this.end()) return;
    const verdict = this.tracker.finish();
    const reason = recordRun(this.start.mode, verdict.ok, last.kind === 'run_error', elapsed, this.tags);
    if (reason === 'agent_error') {
      this.reject(new RunFailure(reason, last.error ?? 'the backend reported an error', this.events));
      return;
    }
    if (reason === 'invalid') {
      recordError('protocol', this.tags);
      noteOffendingRun(this.tracker.runId, this.tags.plan ?? '', `stream: ${verdict.violations.slice(0, 2).join('; ')}`);
      this.reject(new RunFailure(reason, verdict.violations.slice(0, 3).join('; '), this.events, verdict.violations));
      return;
    }
    recordCompletion(last.usage, elapsed, this.metLatencySlas(elapsed), this.tags);
    this.resolve({
      requestId: this.start.requestId, runId: this.tracker.runId, threadId: this.tracker.threadId, mode: this.start.mode,
      events: this.events, usage: last.usage, responseMs: elapsed,
    });
  }

  /** Goodput's test (vLLM, DistServe): the response within its SLA, and the first token within SLA_TTFT_MS where set. */
  private metLatencySlas(elapsed: number): boolean {
    // The plan's own bound where one is set (SLA_AGENT_MS_ENTERPRISE), as its threshold uses.
    const bound = (id: SlaId): number | undefined => boundFor(this.config.sla, this.config.slaByPlan, id, this.tags.plan!);
    const response = bound(this.start.mode === 'orchestration' ? 'orchestration' : 'agent');
    if (response !== undefined && elapsed >= response) return false;
    const ttft = bound('ttft');
    return ttft === undefined || (this.firstDeltaMs >= 0 && this.firstDeltaMs < ttft);
  }

  /** No terminal event in time: counted at the timeout in its latency metric, so silence never improves p95. */
  private timeout(): void {
    if (!this.end()) return;
    recordTimeout(this.start.mode, Date.now() - this.sentAt, this.tags);
    recordError('timeout', this.tags);
    this.reject(new RunFailure('timeout', `no terminal event within ${this.config.runTimeoutMs} ms (${this.events.length} events)`, this.events));
  }

  /** Marks the run settled; false when it already was. */
  private end(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    this.done();
    return true;
  }
}
