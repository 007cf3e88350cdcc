/**
 * The lifecycle every dialect's frames reduce to (DIALECTS.md, introduction): agents start and
 * finish, nested; tools start and end, paired by a key; text streams; one terminal event ends the
 * run. The SLAs, metrics and dashboards are computed on this, so they mean the same in every dialect.
 * Pure: no k6 and no Node imports, so the target's tests can use it too.
 */

export type LifecycleKind =
  | 'agent_started'
  | 'agent_finished'
  | 'thinking'
  | 'tool_start'
  | 'tool_end'
  | 'handoff'
  | 'text_delta'
  | 'run_completed'
  | 'run_error'
  | 'ignorable'
  | 'unknown';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
}

/** One server frame, decoded. Only `kind` and `type` are always set. */
export interface LifecycleEvent {
  kind: LifecycleKind;
  /** The frame's own type, as the backend named it (for messages and per-type latency). */
  type: string;
  agent?: unknown;
  /** What pairs a tool's start with its end. */
  key?: unknown;
  /** The run id the frame carries, when it carries one. */
  runId?: unknown;
  /** Streamed text of a text_delta. */
  text?: string;
  /** run_completed: the tokens the backend reports, when it reports them. */
  usage?: Usage;
  /** run_error: what the backend said. */
  error?: string;
}

export const isTerminal = (event: LifecycleEvent): boolean => event.kind === 'run_completed' || event.kind === 'run_error';

export interface RunValidation {
  ok: boolean;
  violations: string[];
}

/** Checks one run as its events arrive; `frame` is the decoded frame's raw object, for dialect rules. */
export interface RunValidator<Frame = unknown> {
  push(event: LifecycleEvent, frame: Frame): void;
  /** True once a terminal event has been pushed. */
  readonly terminated: boolean;
  readonly count: number;
  /** The verdict; checks that need the whole run (open tools, missing terminal) happen here. */
  finish(): RunValidation;
}

const MAX_VIOLATIONS = 20;

/** Collects violations as `event N (type): message`, capped so a broken stream cannot grow it without bound. */
export class Violations {
  readonly list: string[] = [];
  at(n: number, event: LifecycleEvent, message: string): void {
    if (this.list.length < MAX_VIOLATIONS) this.list.push(`event ${n} (${event.type}): ${message}`);
  }
  add(message: string): void {
    if (this.list.length < MAX_VIOLATIONS) this.list.push(message);
  }
}

/**
 * The rules every dialect shares, checked per event with a few comparisons and Set/Map operations:
 * the run begins with an agent; agents finish, inner before outer; every tool that starts ends,
 * from the agent that started it; exactly one terminal event, and it is last; a run id, where
 * frames carry one, never changes. A run ended by an error is complete: what was open then is
 * not reported, because the error ends it all.
 * The top agent's finish is its run_completed event (with the agent set), not a separate event.
 */
export class LifecycleRules {
  readonly violations = new Violations();
  count = 0;
  terminals = 0;
  private terminalAt = 0;
  private failed = false;
  private runId: unknown;
  /** Agents running, outermost first. */
  private readonly running: unknown[] = [];
  private readonly started = new Set<unknown>();
  private readonly openTools = new Map<unknown, unknown>();
  private readonly closedTools = new Set<unknown>();

  constructor(private readonly options: { firstEvent: LifecycleKind; firstEventName: string }) {}

  /** The agent that started the run. */
  get topAgent(): unknown {
    return this.running[0];
  }

  isRunning(agent: unknown): boolean {
    return this.running.includes(agent);
  }

  push(event: LifecycleEvent): number {
    const n = ++this.count;
    const v = this.violations;
    if (n === 1 && event.kind !== this.options.firstEvent) v.at(n, event, `first event must be ${this.options.firstEventName}`);
    if (this.terminals > 0) v.at(n, event, 'event after the terminal event');
    if (event.runId !== undefined) {
      if (this.runId === undefined) this.runId = event.runId;
      else if (event.runId !== this.runId) v.at(n, event, 'run_id changed');
    }
    const agent = event.agent;
    switch (event.kind) {
      case 'agent_started':
        if (this.started.has(agent)) v.at(n, event, `agent ${String(agent)} started twice`);
        this.started.add(agent);
        this.running.push(agent);
        break;
      case 'thinking':
      case 'text_delta':
        if (agent !== undefined && !this.isRunning(agent)) v.at(n, event, `from agent ${String(agent)} that is not running`);
        break;
      case 'tool_start':
        if (agent !== undefined && !this.isRunning(agent)) v.at(n, event, `from agent ${String(agent)} that is not running`);
        if (event.key === undefined || event.key === '') v.at(n, event, 'missing tool_call_id');
        else if (this.openTools.has(event.key) || this.closedTools.has(event.key)) v.at(n, event, `tool_call_id ${String(event.key)} reused`);
        this.openTools.set(event.key, agent);
        break;
      case 'tool_end': {
        if (!this.openTools.has(event.key)) {
          v.at(n, event, `tool_call_id ${String(event.key)} completed without being open`);
          break;
        }
        const owner = this.openTools.get(event.key);
        if (agent !== undefined && owner !== agent) v.at(n, event, `tool_call_id ${String(event.key)} opened by ${String(owner)}, completed by ${String(agent)}`);
        this.openTools.delete(event.key);
        this.closedTools.add(event.key);
        break;
      }
      case 'agent_finished':
        this.finishAgent(n, event);
        break;
      case 'run_completed':
        if (agent !== undefined) this.finishAgent(n, event);
        this.terminal(n);
        break;
      case 'run_error':
        this.terminal(n);
        this.failed = true;
        break;
      case 'handoff':
      case 'ignorable':
        break;
      case 'unknown':
        v.at(n, event, 'unknown event type');
        break;
    }
    return n;
  }

  finish(): RunValidation {
    const v = this.violations;
    if (this.count === 0) return { ok: false, violations: ['no events'] };
    if (this.terminals === 0) v.add('no terminal event');
    else if (this.terminals > 1) v.add(`${this.terminals} terminal events`);
    else if (this.terminalAt !== this.count) v.add('terminal event is not last');
    if (!this.failed) {
      for (const id of this.openTools.keys()) v.add(`tool_call_id ${String(id)} never completed`);
      for (const agent of this.running) v.add(`agent ${String(agent)} never completed`);
    }
    return { ok: v.list.length === 0, violations: v.list.slice() };
  }

  private terminal(n: number): void {
    this.terminals++;
    this.terminalAt = n;
  }

  private finishAgent(n: number, event: LifecycleEvent): void {
    const agent = event.agent;
    const at = this.running.lastIndexOf(agent);
    if (at < 0) {
      this.violations.at(n, event, `agent ${String(agent)} completed without running`);
      return;
    }
    for (const owner of this.openTools.values()) {
      if (owner === agent) {
        this.violations.at(n, event, `agent ${String(agent)} completed with a tool still executing`);
        break;
      }
    }
    if (at !== this.running.length - 1) {
      this.violations.at(n, event, `agent ${String(agent)} completed before ${String(this.running[this.running.length - 1])}, which it started`);
    }
    this.running.splice(at, 1);
  }
}
