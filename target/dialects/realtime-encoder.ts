import type { RunEvent } from "../../lib/protocol/index.ts";
import type { Random } from "../agents/prng.ts";
import type { RunEncoder, WireRun } from "./types.ts";

export function realtimeId(prefix: string, random: Random): string {
  let id = prefix;
  for (let i = 0; i < 4; i++) id += Math.floor(random() * 0x100000000).toString(16).padStart(8, "0");
  return id.slice(0, prefix.length + 22);
}

interface FunctionCall { id: string; index: number; name: string; call_id: string; arguments: string }

let responses = 0;
let failures = 0;

/**
 * One run as one OpenAI Realtime response. The realtime API has no nested
 * agents, so the run is flattened: the first event opens `response.created`,
 * each tool becomes a function-call output item (its arguments streamed in two
 * deltas), text becomes a message item with text deltas, and the top agent's
 * completion becomes `response.done` with usage. Every other response uses
 * the beta names (`response.text.delta`, part type "text"). An error ends the
 * run as an `error` event or as `response.done` with status "failed", turn
 * about. A tool whose completion never comes (drop-tool-completed) leaves its
 * arguments without `.done` and its item without `output_item.done`.
 */
export function realtimeRunEncoder(wire: WireRun, eventId: () => string): RunEncoder {
  const responseId = realtimeId("resp_", wire.random);
  const beta = responses++ % 2 === 1;
  const textDelta = beta ? "response.text.delta" : "response.output_text.delta";
  const textDone = beta ? "response.text.done" : "response.output_text.done";
  const partType = beta ? "text" : "output_text";
  const output: object[] = [];
  const calls = new Map<string, FunctionCall>();
  let started = false;
  let topAgent: string | undefined;
  let nextIndex = 0;
  let message: { id: string; index: number; text: string } | undefined;

  const frame = (type: string, fields: Record<string, unknown>): object => ({ type, event_id: eventId(), ...fields });
  const inResponse = (type: string, fields: Record<string, unknown>): object => frame(type, { response_id: responseId, ...fields });
  const response = (status: string, extra: Record<string, unknown>) => ({ id: responseId, object: "realtime.response", status, output, ...extra });
  const messageItem = (id: string, status: string, text?: string) => ({
    id, object: "realtime.item", type: "message", role: "assistant", status, content: text === undefined ? [] : [{ type: partType, text }],
  });

  function closeMessage(out: object[], status: "completed" | "incomplete"): void {
    if (!message) return;
    const { id, index, text } = message;
    const part = { item_id: id, output_index: index, content_index: 0 };
    out.push(inResponse(textDone, { ...part, text }));
    out.push(inResponse("response.content_part.done", { ...part, part: { type: partType, text } }));
    const item = messageItem(id, status, text);
    out.push(inResponse("response.output_item.done", { output_index: index, item }));
    output.push(item);
    message = undefined;
  }

  return {
    encode(event: RunEvent): object[] {
      const out: object[] = [];
      if (!started) {
        started = true;
        out.push(frame("response.created", { response: response("in_progress", { output: [], usage: null }) }));
        out.push(frame("rate_limits.updated", { rate_limits: [{ name: "tokens", limit: 100_000, remaining: 99_000, reset_seconds: 1 }] }));
      }
      switch (event.type) {
        case "agent_started":
          topAgent ??= event.agent;
          break;
        case "tool_executing": {
          closeMessage(out, "completed");
          const call: FunctionCall = {
            id: realtimeId("item_", wire.random), index: nextIndex++, name: event.tool,
            call_id: realtimeId("call_", wire.random), arguments: JSON.stringify({ agent: event.agent, tool: event.tool }),
          };
          calls.set(event.tool_call_id, call);
          const item = { id: call.id, object: "realtime.item", type: "function_call", status: "in_progress", name: call.name, call_id: call.call_id, arguments: "" };
          out.push(inResponse("response.output_item.added", { output_index: call.index, item }));
          out.push(inResponse("response.function_call_arguments.delta", {
            item_id: call.id, output_index: call.index, call_id: call.call_id, delta: call.arguments.slice(0, call.arguments.length >> 1),
          }));
          break;
        }
        case "tool_completed": {
          const call = calls.get(event.tool_call_id);
          if (!call) break;
          calls.delete(event.tool_call_id);
          const at = { item_id: call.id, output_index: call.index, call_id: call.call_id };
          out.push(inResponse("response.function_call_arguments.delta", { ...at, delta: call.arguments.slice(call.arguments.length >> 1) }));
          out.push(inResponse("response.function_call_arguments.done", { ...at, name: call.name, arguments: call.arguments }));
          const item = { id: call.id, object: "realtime.item", type: "function_call", status: "completed", name: call.name, call_id: call.call_id, arguments: call.arguments };
          out.push(inResponse("response.output_item.done", { output_index: call.index, item }));
          output.push(item);
          break;
        }
        case "partial_result": {
          if (!message) {
            message = { id: realtimeId("item_", wire.random), index: nextIndex++, text: "" };
            out.push(inResponse("response.output_item.added", { output_index: message.index, item: messageItem(message.id, "in_progress") }));
            out.push(inResponse("response.content_part.added", {
              item_id: message.id, output_index: message.index, content_index: 0, part: { type: partType, text: "" },
            }));
          }
          message.text += event.delta;
          out.push(inResponse(textDelta, { item_id: message.id, output_index: message.index, content_index: 0, delta: event.delta }));
          break;
        }
        case "agent_completed": {
          if (event.agent !== topAgent) break;
          closeMessage(out, "completed");
          const { input_tokens, output_tokens } = event.usage;
          const usage = { total_tokens: input_tokens + output_tokens, input_tokens, output_tokens };
          out.push(frame("response.done", { response: response("completed", { status_details: null, usage }) }));
          break;
        }
        case "agent_error": {
          const error = { type: "server_error", code: event.code, message: event.message };
          if (failures++ % 2 === 0) {
            out.push(frame("error", { error: { ...error, param: null, event_id: null } }));
            break;
          }
          closeMessage(out, "incomplete");
          out.push(frame("response.done", {
            response: response("failed", {
              status_details: { type: "failed", error }, usage: { total_tokens: 0, input_tokens: 0, output_tokens: 0 },
            }),
          }));
          break;
        }
        case "agent_thinking":
        case "agent_handoff":
          break;
      }
      return out;
    },
  };
}
