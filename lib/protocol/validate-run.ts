import { ORCHESTRATION_PIPELINE, type RunMode } from "./types.ts";

/** Verdict on one run's event stream. */
export interface RunValidation {
  ok: boolean;
  violations: string[];
}

/**
 * A run event as it arrives off the wire: only the fields the validator reads,
 * all optional, so a parsed frame can be passed without a cast.
 */
export interface RunEventLike {
  type?: unknown;
  seq?: unknown;
  run_id?: unknown;
  request_id?: unknown;
  thread_id?: unknown;
  agent?: unknown;
  tool_call_id?: unknown;
  from?: unknown;
  to?: unknown;
  context_id?: unknown;
}

/** Feeds one run's events one at a time, e.g. straight from a socket's message handler. */
export interface RunValidator {
  push(event: RunEventLike): void;
  /** True once the run's terminal event (top agent's agent_completed, or agent_error) has been pushed. */
  readonly terminated: boolean;
  /** Events pushed so far. */
  readonly count: number;
  /** Ends the run and returns the verdict; checks that need the whole run (open tools, missing terminal) happen here. */
  finish(): RunValidation;
}

const MAX_VIOLATIONS = 20;
const LAST_HANDOFF = ORCHESTRATION_PIPELINE.length - 1;

/**
 * The contract's sequence rules, checked as events arrive. Per event: a few
 * comparisons and Set/Map operations, no regex, no JSON work, and a string is
 * built only when there is a violation to report. It runs inside k6 VUs.
 *
 * A run ending in `agent_error` is a complete, valid failure: agents and tools
 * still open at that point are not reported, because the error ends the run for all of them.
 */
export function createRunValidator(mode: RunMode = "single"): RunValidator {
  const violations: string[] = [];
  const started = new Set<unknown>();
  const finished = new Set<unknown>();
  const openTools = new Map<unknown, unknown>(); // tool_call_id → agent that opened it
  const closedTools = new Set<unknown>();
  let count = 0;
  let topAgent: unknown;
  let runId: unknown;
  let requestId: unknown;
  let threadId: unknown;
  let contextId: unknown;
  let handoffs = 0;
  /** The agent the latest handoff went to, until it starts. */
  let awaitedAgent: unknown;
  let terminals = 0;
  let terminalAt = 0;
  let failed = false;

  const add = (n: number, e: RunEventLike, message: string): void => {
    if (violations.length < MAX_VIOLATIONS) violations.push(`event ${n} (${String(e.type)}): ${message}`);
  };

  function push(e: RunEventLike): void {
    const n = ++count;
    if (e.seq !== n) add(n, e, `seq ${String(e.seq)}, expected ${n}`);
    if (n === 1) {
      runId = e.run_id;
      requestId = e.request_id;
      threadId = e.thread_id;
      topAgent = e.agent;
      if (e.type !== "agent_started") add(n, e, "first event must be agent_started");
      if (mode === "orchestration" && e.agent !== ORCHESTRATION_PIPELINE[0]) {
        add(n, e, `orchestration must start with ${ORCHESTRATION_PIPELINE[0]}`);
      }
    } else {
      if (e.run_id !== runId) add(n, e, "run_id changed");
      if (e.request_id !== requestId) add(n, e, "request_id changed");
      if (e.thread_id !== threadId) add(n, e, "thread_id changed");
    }
    if (terminals > 0) add(n, e, "event after the terminal event");

    const agent = e.agent;
    const active = started.has(agent) && !finished.has(agent);
    switch (e.type) {
      case "agent_started":
        if (started.has(agent)) add(n, e, `agent ${String(agent)} started twice`);
        else if (n > 1 && mode === "single") add(n, e, `second agent ${String(agent)} in a single run`);
        else if (n > 1 && awaitedAgent === undefined) add(n, e, `agent ${String(agent)} started without a handoff`);
        else if (n > 1 && agent !== awaitedAgent) add(n, e, `agent ${String(agent)} started, but the handoff was to ${String(awaitedAgent)}`);
        awaitedAgent = undefined;
        started.add(agent);
        break;
      case "agent_thinking":
      case "partial_result":
        if (!active) add(n, e, `from agent ${String(agent)} that is not running`);
        break;
      case "tool_executing":
        if (!active) add(n, e, `from agent ${String(agent)} that is not running`);
        if (typeof e.tool_call_id !== "string" || e.tool_call_id === "") add(n, e, "missing tool_call_id");
        else if (openTools.has(e.tool_call_id) || closedTools.has(e.tool_call_id)) {
          add(n, e, `tool_call_id ${e.tool_call_id} reused`);
        }
        openTools.set(e.tool_call_id, agent);
        break;
      case "tool_completed": {
        const owner = openTools.get(e.tool_call_id);
        if (owner === undefined && !openTools.has(e.tool_call_id)) {
          add(n, e, `tool_call_id ${String(e.tool_call_id)} completed without being open`);
          break;
        }
        if (owner !== agent) add(n, e, `tool_call_id ${String(e.tool_call_id)} opened by ${String(owner)}, completed by ${String(agent)}`);
        openTools.delete(e.tool_call_id);
        closedTools.add(e.tool_call_id);
        break;
      }
      case "agent_handoff": {
        if (mode !== "orchestration") {
          add(n, e, "handoff in a single run");
          break;
        }
        const from = ORCHESTRATION_PIPELINE[handoffs];
        const to = ORCHESTRATION_PIPELINE[handoffs + 1];
        if (e.from !== from || e.to !== to) {
          add(n, e, `handoff ${String(e.from)}→${String(e.to)}, expected ${String(from)}→${String(to)}`);
        }
        if (typeof e.context_id !== "string" || e.context_id === "") add(n, e, "missing context_id");
        else if (handoffs === 0) contextId = e.context_id;
        else if (e.context_id !== contextId) add(n, e, "context_id changed");
        if (awaitedAgent !== undefined) add(n, e, `handoff before ${String(awaitedAgent)} started`);
        awaitedAgent = e.to;
        handoffs++;
        break;
      }
      case "agent_completed":
        if (!active) add(n, e, `agent ${String(agent)} completed without running`);
        for (const owner of openTools.values()) {
          if (owner === agent) {
            add(n, e, `agent ${String(agent)} completed with a tool still executing`);
            break;
          }
        }
        finished.add(agent);
        if (agent === topAgent) {
          terminals++;
          terminalAt = n;
        }
        break;
      case "agent_error":
        finished.add(agent);
        terminals++;
        terminalAt = n;
        failed = true;
        break;
      default:
        add(n, e, "unknown event type");
    }
  }

  function finish(): RunValidation {
    const out = violations.slice();
    const report = (message: string): void => {
      if (out.length < MAX_VIOLATIONS) out.push(message);
    };
    if (count === 0) return { ok: false, violations: ["no events"] };
    if (terminals === 0) report("no terminal event (top agent's agent_completed or agent_error)");
    else if (terminals > 1) report(`${terminals} terminal events`);
    else if (terminalAt !== count) report("terminal event is not last");
    if (!failed) {
      for (const id of openTools.keys()) report(`tool_call_id ${String(id)} never completed`);
      for (const agent of started) if (!finished.has(agent)) report(`agent ${String(agent)} never completed`);
      if (awaitedAgent !== undefined) report(`handoff to ${String(awaitedAgent)}, which never started`);
      if (mode === "orchestration" && terminals === 1 && handoffs !== LAST_HANDOFF) {
        report(`${handoffs} handoffs, expected ${LAST_HANDOFF}`);
      }
    }
    return { ok: out.length === 0, violations: out };
  }

  return {
    push,
    finish,
    get terminated() {
      return terminals > 0;
    },
    get count() {
      return count;
    },
  };
}

/** Validates a whole run at once; the same rules as createRunValidator. */
export function validateRun(events: readonly RunEventLike[], mode: RunMode = "single"): RunValidation {
  const validator = createRunValidator(mode);
  for (let i = 0; i < events.length; i++) validator.push(events[i]!);
  return validator.finish();
}
