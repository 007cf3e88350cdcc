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
  agent?: unknown;
  tool_call_id?: unknown;
  from?: unknown;
  to?: unknown;
  context_id?: unknown;
}

const MAX_VIOLATIONS = 20;

/**
 * Checks one run against the contract's sequence rules in a single pass with
 * no regex and no JSON work: it runs once per run inside k6 VUs.
 * A run ending in `agent_error` is a complete, valid failure: agents still
 * open at that point are not reported, because the error ends the run for all of them.
 */
export function validateRun(events: readonly RunEventLike[], mode: RunMode = "single"): RunValidation {
  const violations: string[] = [];
  const add = (message: string): void => {
    if (violations.length < MAX_VIOLATIONS) violations.push(message);
  };
  if (events.length === 0) return { ok: false, violations: ["no events"] };

  const started = new Set<unknown>();
  const finished = new Set<unknown>();
  const openTools = new Map<unknown, unknown>(); // tool_call_id → agent
  const closedTools = new Set<unknown>();
  let topAgent: unknown = undefined;
  let runId: unknown = undefined;
  let requestId: unknown = undefined;
  let contextId: unknown = undefined;
  let handoffs = 0;
  let terminalAt = -1;
  let terminals = 0;

  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const at = `event ${i + 1} (${String(e.type)})`;
    if (e.seq !== i + 1) add(`${at}: seq ${String(e.seq)}, expected ${i + 1}`);
    if (i === 0) {
      runId = e.run_id;
      requestId = e.request_id;
      if (e.type !== "agent_started") add(`${at}: first event must be agent_started`);
      topAgent = e.agent;
    } else {
      if (e.run_id !== runId) add(`${at}: run_id changed`);
      if (e.request_id !== requestId) add(`${at}: request_id changed`);
    }
    if (terminals > 0) add(`${at}: event after the terminal event`);

    const agent = e.agent;
    const active = started.has(agent) && !finished.has(agent);
    switch (e.type) {
      case "agent_started":
        if (started.has(agent)) add(`${at}: agent ${String(agent)} started twice`);
        else if (i > 0 && mode === "orchestration" && handoffs === 0) add(`${at}: agent ${String(agent)} started without a handoff`);
        else if (i > 0 && mode === "single") add(`${at}: second agent ${String(agent)} in a single run`);
        started.add(agent);
        break;
      case "agent_thinking":
      case "partial_result":
        if (!active) add(`${at}: from agent ${String(agent)} that is not running`);
        break;
      case "tool_executing":
        if (!active) add(`${at}: from agent ${String(agent)} that is not running`);
        if (openTools.has(e.tool_call_id) || closedTools.has(e.tool_call_id)) {
          add(`${at}: tool_call_id ${String(e.tool_call_id)} reused`);
        }
        openTools.set(e.tool_call_id, agent);
        break;
      case "tool_completed":
        if (!openTools.has(e.tool_call_id)) {
          add(`${at}: tool_call_id ${String(e.tool_call_id)} completed without being open`);
        } else {
          openTools.delete(e.tool_call_id);
          closedTools.add(e.tool_call_id);
        }
        break;
      case "agent_handoff": {
        if (mode !== "orchestration") {
          add(`${at}: handoff in a single run`);
          break;
        }
        const from = ORCHESTRATION_PIPELINE[handoffs];
        const to = ORCHESTRATION_PIPELINE[handoffs + 1];
        if (e.from !== from || e.to !== to) {
          add(`${at}: handoff ${String(e.from)}→${String(e.to)}, expected ${String(from)}→${String(to)}`);
        }
        if (handoffs === 0) contextId = e.context_id;
        else if (e.context_id !== contextId) add(`${at}: context_id changed`);
        if (typeof e.context_id !== "string" || e.context_id === "") add(`${at}: missing context_id`);
        handoffs++;
        break;
      }
      case "agent_completed":
        if (!active) add(`${at}: agent ${String(agent)} completed without running`);
        for (const owner of openTools.values()) {
          if (owner === agent) {
            add(`${at}: agent ${String(agent)} completed with a tool still executing`);
            break;
          }
        }
        finished.add(agent);
        if (agent === topAgent) {
          terminals++;
          terminalAt = i;
        }
        break;
      case "agent_error":
        finished.add(agent);
        terminals++;
        terminalAt = i;
        break;
      default:
        add(`${at}: unknown event type`);
    }
  }

  if (terminals === 0) add("no terminal event (top agent's agent_completed or agent_error)");
  else if (terminals > 1) add(`${terminals} terminal events`);
  else if (terminalAt !== events.length - 1) add("terminal event is not last");

  const failed = events[terminalAt]?.type === "agent_error";
  if (!failed) {
    for (const id of openTools.keys()) add(`tool_call_id ${String(id)} never completed`);
    for (const agent of started) if (!finished.has(agent)) add(`agent ${String(agent)} never completed`);
    if (mode === "orchestration" && terminals === 1 && handoffs !== ORCHESTRATION_PIPELINE.length - 1) {
      add(`${handoffs} handoffs, expected ${ORCHESTRATION_PIPELINE.length - 1}`);
    }
    if (mode === "orchestration" && topAgent !== ORCHESTRATION_PIPELINE[0]) {
      add(`orchestration must start with ${ORCHESTRATION_PIPELINE[0]}`);
    }
  }
  return { ok: violations.length === 0, violations };
}
