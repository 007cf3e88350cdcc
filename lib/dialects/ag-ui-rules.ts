/**
 * AG-UI well-formedness (DIALECTS.md §3), over events whose `*_CHUNK` forms are already expanded
 * (ag-ui-chunks.ts). The protocol rules are those `verifyEvents` of @ag-ui/client 1.0.0 applies,
 * restated: a run opens with RUN_STARTED (or fails at once with RUN_ERROR); messages, tool calls,
 * reasoning and steps open once and close once, and nothing may still be open at RUN_FINISHED;
 * an event tagged with a subagent must not contradict whoever opened what it continues. The
 * load-test rule comes on top: the stream ends with exactly one RUN_FINISHED or RUN_ERROR.
 * Incremental (push per event, then finish) and pure: no k6 and no Node imports.
 */
import { Violations, type RunValidation } from './lifecycle.ts';

export type AgUiEvent = Record<string, unknown> & { type: string };

export interface AgUiRulesOptions {
  /** The load-test rule (exactly one terminal, and it is last). Off: the official rules alone. */
  exactlyOneTerminal?: boolean;
}

/** Who opened an entity: a subagent's run id, or undefined for the parent agent. */
interface Owner {
  subagent: unknown;
}

const TERMINALS = new Set(['RUN_FINISHED', 'RUN_ERROR']);
const ownerName = (owner: unknown): string => (owner === undefined ? 'the parent agent' : `subagent ${String(owner)}`);
const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

/** The open/closed and ownership state of one run; a new RUN_STARTED after a terminal starts afresh. */
class RunState {
  readonly messages = new Set<unknown>();
  readonly toolCalls = new Set<unknown>();
  readonly reasoningSpans = new Set<unknown>();
  readonly reasoningMessages = new Set<unknown>();
  /** Owners outlive the entity's close: a later event may still name it. One map per kind, since ids are unique per kind only. */
  readonly owners = { message: new Map<unknown, Owner>(), toolCall: new Map<unknown, Owner>(), activity: new Map<unknown, Owner>(), reasoning: new Map<unknown, Owner>() };
  /** Open step names per owner: a subagent may run a step of the same name as its parent's. */
  readonly steps = new Map<unknown, Set<unknown>>();
  readonly subagents = new Set<unknown>();
  readonly finishedSubagents = new Set<unknown>();

  stepsOf(owner: unknown): Set<unknown> {
    let names = this.steps.get(owner);
    if (!names) this.steps.set(owner, (names = new Set()));
    return names;
  }
}

export class AgUiRules {
  readonly violations = new Violations();
  count = 0;
  terminals = 0;
  private terminalAt = 0;
  private run = new RunState();
  private started = false;
  private finished = false;
  private errored = false;
  private readonly exactlyOneTerminal: boolean;

  constructor(options: AgUiRulesOptions = {}) {
    this.exactlyOneTerminal = options.exactlyOneTerminal ?? true;
  }

  /** True once a RUN_FINISHED or RUN_ERROR has been pushed. */
  get terminated(): boolean {
    return this.terminals > 0;
  }

  /** A problem found outside the rules (e.g. a chunk that cannot be expanded), reported like theirs. */
  reject(type: string, message: string): void {
    this.violations.add(`event ${this.count + 1} (${type}): ${message}`);
  }

  push(event: AgUiEvent): void {
    const n = ++this.count;
    if (TERMINALS.has(event.type)) {
      this.terminals++;
      this.terminalAt = n;
    }
    const problem = this.check(event);
    if (problem !== undefined) this.violations.add(`event ${n} (${event.type}): ${problem}`);
  }

  finish(): RunValidation {
    const v = this.violations;
    if (this.exactlyOneTerminal) {
      if (this.count === 0) v.add('no events');
      else if (this.terminals === 0) v.add('the stream ended without RUN_FINISHED or RUN_ERROR');
      else if (this.terminals > 1) v.add(`${this.terminals} RUN_FINISHED / RUN_ERROR events, expected exactly one`);
      else if (this.terminalAt !== this.count) v.add(`${this.count - this.terminalAt} events after the terminal event`);
    }
    return { ok: v.list.length === 0, violations: v.list.slice() };
  }

  /** The first rule the event breaks, or undefined. State changes only as the event is accepted. */
  private check(event: AgUiEvent): string | undefined {
    const type = event.type;
    if (this.errored && type !== 'RUN_STARTED') return 'after RUN_ERROR only a new RUN_STARTED may come';
    if (this.finished && type !== 'RUN_ERROR' && type !== 'RUN_STARTED') return 'after RUN_FINISHED only RUN_STARTED or RUN_ERROR may come';
    if (this.count === 1) {
      if (type !== 'RUN_STARTED' && type !== 'RUN_ERROR') return 'the first event must be RUN_STARTED';
    } else if (type === 'RUN_STARTED') {
      if (this.started && !this.finished && !this.errored) return 'RUN_STARTED while a run is still active';
      if (this.finished || this.errored) this.newRun();
    }
    if (event.subagentRunId === null) return 'subagentRunId is null (omit it instead)';
    return this.checkNulls(event) ?? this.checkType(event);
  }

  private newRun(): void {
    this.run = new RunState();
    this.finished = false;
    this.errored = false;
    this.started = true;
  }

  /** Optional fields of the subagent lifecycle and of interrupts may be absent, never null. */
  private checkNulls(event: AgUiEvent): string | undefined {
    const type = event.type;
    if (type === 'SUBAGENT_STARTED' || type === 'SUBAGENT_FINISHED' || type === 'SUBAGENT_ERROR') {
      const optional =
        type === 'SUBAGENT_STARTED' ? ['description', 'parentSubagentRunId', 'parentToolCallId', 'parentMessageId'] : type === 'SUBAGENT_FINISHED' ? ['outcome'] : ['code'];
      for (const name of optional) if (event[name] === null) return `${name} is null (omit it instead)`;
      const outcome = event.outcome;
      if (outcome !== undefined && outcome !== null) {
        const kind = asObject(outcome)?.type;
        if (kind !== 'success' && kind !== 'suspended') return `outcome type ${String(kind)} is neither success nor suspended`;
        const ids = asObject(outcome)?.interruptIds;
        if (ids === null) return 'outcome.interruptIds is null (omit it instead)';
        if (Array.isArray(ids) && ids.some((id) => typeof id !== 'string')) return 'outcome.interruptIds holds a non-string';
      }
    }
    if (type === 'RUN_FINISHED') {
      const outcome = asObject(event.outcome);
      if (outcome?.type === 'interrupt' && Array.isArray(outcome.interrupts)) {
        for (const interrupt of outcome.interrupts as unknown[]) {
          if (asObject(interrupt)?.subagentRunId === null) return 'an interrupt has subagentRunId null (omit it instead)';
        }
      }
    }
    return undefined;
  }

  private checkType(event: AgUiEvent): string | undefined {
    const run = this.run;
    const tag = event.subagentRunId;
    switch (event.type) {
      case 'TEXT_MESSAGE_START':
        return this.open(run.messages, run.owners.message, event.messageId, tag, 'text message');
      case 'TEXT_MESSAGE_CONTENT':
      case 'TEXT_MESSAGE_END':
        return this.continueOrClose(run.messages, run.owners.message, event.messageId, tag, 'text message', event.type === 'TEXT_MESSAGE_END');
      case 'TOOL_CALL_START':
        return this.startToolCall(event);
      case 'TOOL_CALL_ARGS':
      case 'TOOL_CALL_END':
        return this.continueOrClose(run.toolCalls, run.owners.toolCall, event.toolCallId, tag, 'tool call', event.type === 'TOOL_CALL_END');
      case 'TOOL_CALL_RESULT':
        // It creates the tool message: its owner is whoever sent it, the latest one winning.
        if (typeof event.messageId === 'string') run.owners.message.set(event.messageId, { subagent: tag });
        return undefined;
      case 'STEP_STARTED': {
        const names = run.stepsOf(tag);
        if (names.has(event.stepName)) return `step ${String(event.stepName)} is already active for ${ownerName(tag)}`;
        names.add(event.stepName);
        return undefined;
      }
      case 'STEP_FINISHED':
        return this.finishStep(event.stepName, tag);
      case 'REASONING_START':
        return this.open(run.reasoningSpans, run.owners.reasoning, event.messageId, tag, 'reasoning span');
      case 'REASONING_MESSAGE_START':
        return this.open(run.reasoningMessages, run.owners.reasoning, event.messageId, tag, 'reasoning message');
      case 'REASONING_END':
        return this.continueOrClose(run.reasoningSpans, run.owners.reasoning, event.messageId, tag, 'reasoning span', true);
      case 'REASONING_MESSAGE_CONTENT':
      case 'REASONING_MESSAGE_END':
        return this.continueOrClose(run.reasoningMessages, run.owners.reasoning, event.messageId, tag, 'reasoning message', event.type === 'REASONING_MESSAGE_END');
      case 'REASONING_ENCRYPTED_VALUE': {
        const id = event.entityId;
        const subtype = event.subtype;
        const owner =
          subtype === 'tool-call' ? run.owners.toolCall.get(id) : subtype === 'message' ? (run.owners.message.get(id) ?? run.owners.reasoning.get(id)) : run.owners.reasoning.get(id);
        return this.disagrees(tag, owner, `entity ${String(id)}`);
      }
      case 'ACTIVITY_SNAPSHOT':
        // Only a replacing snapshot (the default) takes the activity over.
        if (!run.owners.activity.has(event.messageId) || event.replace !== false) run.owners.activity.set(event.messageId, { subagent: tag });
        return undefined;
      case 'ACTIVITY_DELTA':
        return this.disagrees(tag, run.owners.activity.get(event.messageId), `activity ${String(event.messageId)}`);
      case 'SUBAGENT_STARTED':
        return this.startSubagent(event);
      case 'SUBAGENT_FINISHED':
      case 'SUBAGENT_ERROR':
        return this.endSubagent(event);
      case 'MESSAGES_SNAPSHOT':
        return this.recordOwners(event.messages, true);
      case 'RUN_STARTED':
        this.started = true;
        // The input echo replays history: its ids are on record, but claim nothing already claimed.
        return this.recordOwners(asObject(event.input)?.messages, false);
      case 'RUN_FINISHED': {
        const open = this.stillOpen();
        if (open !== undefined) return `RUN_FINISHED while ${open}`;
        this.finished = true;
        return undefined;
      }
      case 'RUN_ERROR':
        this.errored = true;
        return undefined;
      default:
        return undefined;
    }
  }

  /** An absent tag agrees with anyone; a present one must name the recorded owner (the parent is an owner too). */
  private disagrees(tag: unknown, owner: Owner | undefined, what: string): string | undefined {
    if (tag === undefined || owner === undefined || owner.subagent === tag) return undefined;
    return `subagentRunId ${String(tag)} contradicts ${what}, opened by ${ownerName(owner.subagent)}`;
  }

  private open(active: Set<unknown>, owners: Map<unknown, Owner>, id: unknown, tag: unknown, what: string): string | undefined {
    if (active.has(id)) return `${what} ${String(id)} is already open`;
    const owner = owners.get(id);
    const clash = this.disagrees(tag, owner, `${what} ${String(id)}`);
    if (clash) return clash;
    active.add(id);
    // The first opener owns the id for the rest of the run; an untagged reopen does not hand it back to the parent.
    if (!owner) owners.set(id, { subagent: tag });
    return undefined;
  }

  private continueOrClose(active: Set<unknown>, owners: Map<unknown, Owner>, id: unknown, tag: unknown, what: string, close: boolean): string | undefined {
    if (!active.has(id)) return `no open ${what} ${String(id)}`;
    const clash = this.disagrees(tag, owners.get(id), `${what} ${String(id)}`);
    if (clash) return clash;
    if (close) active.delete(id);
    return undefined;
  }

  /** A tool call belongs to the message that carries it: an untagged call inherits that message's owner. */
  private startToolCall(event: AgUiEvent): string | undefined {
    const run = this.run;
    const id = event.toolCallId;
    if (run.toolCalls.has(id)) return `tool call ${String(id)} is already open`;
    const tag = event.subagentRunId;
    const parentId = event.parentMessageId;
    const inherited = parentId !== undefined ? run.owners.message.get(parentId) : undefined;
    if (inherited && tag !== undefined && tag !== inherited.subagent) {
      return `subagentRunId ${String(tag)} contradicts parent message ${String(parentId)}, owned by ${ownerName(inherited.subagent)}`;
    }
    const owner = run.owners.toolCall.get(id);
    if (owner) {
      const clash = this.disagrees(tag, owner, `tool call ${String(id)}`);
      if (clash) return clash;
      if (tag === undefined && inherited && inherited.subagent !== owner.subagent) {
        return `tool call ${String(id)} belongs to ${ownerName(owner.subagent)}, its parent message ${String(parentId)} to ${ownerName(inherited.subagent)}`;
      }
    }
    run.toolCalls.add(id);
    if (!owner) run.owners.toolCall.set(id, tag !== undefined ? { subagent: tag } : (inherited ?? { subagent: undefined }));
    return undefined;
  }

  private finishStep(name: unknown, tag: unknown): string | undefined {
    const names = this.run.stepsOf(tag);
    if (names.delete(name)) return undefined;
    for (const [owner, open] of this.run.steps) {
      if (owner !== tag && open.has(name)) return `step ${String(name)} is open under ${ownerName(owner)}, not ${ownerName(tag)}`;
    }
    return `step ${String(name)} was not started`;
  }

  private startSubagent(event: AgUiEvent): string | undefined {
    const id = event.subagentRunId;
    if (typeof id !== 'string') return 'SUBAGENT_STARTED without a subagentRunId';
    if (typeof event.name !== 'string') return 'SUBAGENT_STARTED without a name';
    const run = this.run;
    if (run.subagents.has(id)) return `subagent ${id} is already active`;
    if (run.finishedSubagents.has(id)) return `subagent ${id} already finished in this run; ids are not reused`;
    const parent = event.parentSubagentRunId;
    if (parent !== undefined && !run.subagents.has(parent) && !run.finishedSubagents.has(parent)) return `parent subagent ${String(parent)} was never started`;
    run.subagents.add(id);
    return undefined;
  }

  private endSubagent(event: AgUiEvent): string | undefined {
    const id = event.subagentRunId;
    if (typeof id !== 'string') return `${event.type} without a subagentRunId`;
    if (event.type === 'SUBAGENT_ERROR' && typeof event.message !== 'string') return 'SUBAGENT_ERROR without a message';
    if (!this.run.subagents.delete(id)) return `no active subagent ${id}`;
    this.run.finishedSubagents.add(id);
    return undefined;
  }

  /** Messages replayed on the wire (a snapshot, or the input echoed by RUN_STARTED) put their ids and owners on record. */
  private recordOwners(messages: unknown, authoritative: boolean): string | undefined {
    if (!Array.isArray(messages)) return undefined;
    const owners = this.run.owners;
    for (const raw of messages as unknown[]) {
      const message = asObject(raw);
      if (!message || typeof message.id !== 'string') continue;
      if (message.subagentRunId === null) return `message ${message.id} has subagentRunId null (omit it instead)`;
      const bucket = message.role === 'reasoning' ? owners.reasoning : message.role === 'activity' ? owners.activity : owners.message;
      if (authoritative || !bucket.has(message.id)) bucket.set(message.id, { subagent: message.subagentRunId });
      const calls = Array.isArray(message.toolCalls) ? (message.toolCalls as unknown[]) : [];
      for (const call of calls) {
        const callId = asObject(call)?.id;
        if (typeof callId === 'string' && (authoritative || !owners.toolCall.has(callId))) owners.toolCall.set(callId, { subagent: message.subagentRunId });
      }
    }
    return undefined;
  }

  /** What is still open, in words, or undefined when nothing is. */
  private stillOpen(): string | undefined {
    const run = this.run;
    const steps: string[] = [];
    for (const [owner, names] of run.steps) for (const name of names) steps.push(owner === undefined ? String(name) : `${String(name)} (subagent ${String(owner)})`);
    const open: Array<[string, Iterable<unknown>]> = [
      ['steps', steps],
      ['text messages', run.messages],
      ['reasoning messages', run.reasoningMessages],
      ['reasoning spans', run.reasoningSpans],
      ['tool calls', run.toolCalls],
      ['subagents', run.subagents],
    ];
    for (const [what, ids] of open) {
      const list = [...ids].map(String);
      if (list.length > 0) return `${what} still open: ${list.join(', ')}`;
    }
    return undefined;
  }
}
