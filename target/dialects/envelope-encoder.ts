import type { RunEvent } from "../../lib/protocol/index.ts";
import type { RunEncoder, WireRun } from "./types.ts";
import { coveringPicker } from "./variety.ts";

/** Where a frame's fields go: DIALECTS.md §1 allows all three, and a client must read each. */
export type Placement = "top" | "payload" | "data";
export const PLACEMENTS: readonly Placement[] = ["top", "payload", "data"];

/** How a tool call names its pairing key; undefined: no id at all, paired by agent and tool name. */
const TOOL_ID_KEYS = ["tool_call_id", "execution_id", undefined] as const;

export function envelopeFrame(type: string, fields: Record<string, unknown>, placement: Placement): object {
  return placement === "top" ? { type, ...fields } : { type, [placement]: fields };
}

/** ISO string or epoch seconds (with milliseconds), both allowed within one session. */
export function envelopeTimestamp(ms: number, form: "iso" | "epoch"): string | number {
  return form === "iso" ? new Date(ms).toISOString() : Math.round(ms) / 1000;
}

let runs = 0;

/**
 * Every variant the envelope allows, mixed by the run's seeded random: field
 * placement and timestamp form per frame, the tool pairing key per tool call,
 * a heartbeat after the first frame and now and then later, and the error
 * form (agent_error or error_message) alternating from run to run.
 * agent_handoff has no envelope type and is not sent; the nesting of
 * agent_started / agent_completed carries the orchestration.
 */
export function envelopeRunEncoder(wire: WireRun): RunEncoder {
  const placement = coveringPicker(PLACEMENTS, wire.random);
  const clock = coveringPicker(["iso", "epoch"] as const, wire.random);
  const toolIdKey = coveringPicker(TOOL_ID_KEYS, wire.random);
  const toolKeys = new Map<string, (typeof TOOL_ID_KEYS)[number]>();
  const errorAsMessage = runs++ % 2 === 1;
  let sent = 0;
  const frame = (type: string, fields: Record<string, unknown>, ms: number): object =>
    envelopeFrame(type, { ...fields, timestamp: envelopeTimestamp(ms, clock()) }, placement());

  return {
    encode(event: RunEvent): object[] {
      const out: object[] = [];
      if (sent === 1 || (sent > 1 && wire.random() < 0.15)) out.push(frame("heartbeat", {}, Date.now()));
      const run = { run_id: wire.runId, thread_id: event.thread_id };
      const push = (type: string, fields: Record<string, unknown>): void => {
        out.push(frame(type, { ...run, ...fields }, event.ts));
        sent++;
      };
      switch (event.type) {
        case "agent_started":
          push("agent_started", { agent_name: event.agent });
          break;
        case "agent_thinking":
          push("agent_thinking", { agent_name: event.agent, thought: event.thought });
          break;
        case "tool_executing": {
          const key = toolIdKey();
          toolKeys.set(event.tool_call_id, key);
          push("tool_executing", { agent_name: event.agent, tool_name: event.tool, ...(key ? { [key]: event.tool_call_id } : {}) });
          break;
        }
        case "tool_completed": {
          const key = toolKeys.get(event.tool_call_id);
          push("tool_completed", {
            agent_name: event.agent, tool_name: event.tool, ...(key ? { [key]: event.tool_call_id } : {}),
            status: event.ok ? "success" : "error", result: event.result,
          });
          break;
        }
        case "partial_result":
          push("partial_result", { agent_name: event.agent, content: event.delta });
          break;
        case "agent_completed":
          push("agent_completed", { agent_name: event.agent, result: event.result, usage: event.usage });
          break;
        case "agent_error":
          if (errorAsMessage) push("error_message", { agent_name: event.agent, error_code: event.code, message: event.message });
          else push("agent_error", { agent_name: event.agent, error_code: event.code, message: event.message });
          break;
        case "agent_handoff":
          break;
      }
      return out;
    },
  };
}
