import {
  EventType, type BaseEvent, type CustomEvent, type RunErrorEvent, type RunFinishedEvent, type RunStartedEvent, type StepFinishedEvent,
  type StepStartedEvent, type TextMessageChunkEvent, type TextMessageContentEvent, type TextMessageEndEvent, type TextMessageStartEvent,
  type ToolCallArgsEvent, type ToolCallChunkEvent, type ToolCallEndEvent, type ToolCallResultEvent, type ToolCallStartEvent,
} from "@ag-ui/core";
import type { RunEvent } from "../../lib/protocol/index.ts";
import type { RunEncoder, WireRun } from "./types.ts";
import { coveringPicker } from "./variety.ts";

type Form = "explicit" | "chunk";
const FORMS: readonly Form[] = ["explicit", "chunk"];

export interface AgUiEncoderOptions {
  /** True while the drop-tool-completed fault is on: tool calls then use the explicit form, the only one that can stay open. */
  toolCallsMayStayOpen(): boolean;
}

/**
 * One run as AG-UI events (@ag-ui/core types): RUN_STARTED first, each agent a
 * step (nested agents nest their steps), each tool call START / ARGS / END then
 * TOOL_CALL_RESULT, each agent's text one message, the top agent's completion
 * STEP_FINISHED then RUN_FINISHED with usage[], an error RUN_ERROR. Messages and
 * tool calls alternate, by the run's seeded random, between the explicit events
 * and the `*_CHUNK` shorthand (continuations sometimes without their id), so a
 * client's chunk expansion is exercised on every run. A chunked stream is never
 * closed explicitly: the next event of the run closes it, as the protocol says.
 */
export function agUiRunEncoder(wire: WireRun, options: AgUiEncoderOptions): RunEncoder {
  const textForm = coveringPicker(FORMS, wire.random);
  const toolForm = coveringPicker(FORMS, wire.random);
  const calls = new Map<string, { form: Form; args: string }>();
  let started = false;
  let topAgent: string | undefined;
  let messages = 0;
  let message: { id: string; agent: string; form: Form } | undefined;

  function closeMessage(out: BaseEvent[]): void {
    if (message?.form === "explicit") out.push({ type: EventType.TEXT_MESSAGE_END, messageId: message.id } satisfies TextMessageEndEvent);
    message = undefined;
  }

  function text(out: BaseEvent[], agent: string, delta: string): void {
    if (message && message.agent !== agent) closeMessage(out);
    if (!message) {
      message = { id: `${wire.runId}.m${++messages}`, agent, form: textForm() };
      if (message.form === "chunk") {
        out.push({ type: EventType.TEXT_MESSAGE_CHUNK, messageId: message.id, role: "assistant", delta } satisfies TextMessageChunkEvent);
        return;
      }
      out.push({ type: EventType.TEXT_MESSAGE_START, messageId: message.id, role: "assistant" } satisfies TextMessageStartEvent);
    }
    if (message.form === "chunk") {
      const id = wire.random() < 0.5 ? { messageId: message.id } : {};
      out.push({ type: EventType.TEXT_MESSAGE_CHUNK, ...id, delta } satisfies TextMessageChunkEvent);
    } else {
      out.push({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: message.id, delta } satisfies TextMessageContentEvent);
    }
  }

  return {
    encode(event: RunEvent): BaseEvent[] {
      const out: BaseEvent[] = [];
      if (!started) {
        started = true;
        out.push({ type: EventType.RUN_STARTED, threadId: event.thread_id, runId: wire.runId } satisfies RunStartedEvent);
      }
      switch (event.type) {
        case "agent_started":
          topAgent ??= event.agent;
          closeMessage(out);
          out.push({ type: EventType.STEP_STARTED, stepName: event.agent } satisfies StepStartedEvent);
          break;
        case "agent_thinking":
          closeMessage(out);
          out.push({ type: EventType.CUSTOM, name: "agent_thinking", value: { agent: event.agent, thought: event.thought } } satisfies CustomEvent);
          break;
        case "agent_handoff":
          closeMessage(out);
          out.push({ type: EventType.CUSTOM, name: "agent_handoff", value: { from: event.from, to: event.to, context_id: event.context_id } } satisfies CustomEvent);
          break;
        case "tool_executing": {
          closeMessage(out);
          const call = { form: options.toolCallsMayStayOpen() ? "explicit" : toolForm(), args: JSON.stringify({ agent: event.agent, tool: event.tool }) } as const;
          calls.set(event.tool_call_id, call);
          const half = call.args.slice(0, call.args.length >> 1);
          if (call.form === "chunk") {
            out.push({ type: EventType.TOOL_CALL_CHUNK, toolCallId: event.tool_call_id, toolCallName: event.tool, delta: half } satisfies ToolCallChunkEvent);
          } else {
            out.push({ type: EventType.TOOL_CALL_START, toolCallId: event.tool_call_id, toolCallName: event.tool } satisfies ToolCallStartEvent);
            out.push({ type: EventType.TOOL_CALL_ARGS, toolCallId: event.tool_call_id, delta: half } satisfies ToolCallArgsEvent);
          }
          break;
        }
        case "tool_completed": {
          const call = calls.get(event.tool_call_id);
          if (!call) break;
          calls.delete(event.tool_call_id);
          const rest = call.args.slice(call.args.length >> 1);
          if (call.form === "chunk") {
            out.push({ type: EventType.TOOL_CALL_CHUNK, toolCallId: event.tool_call_id, delta: rest } satisfies ToolCallChunkEvent);
          } else {
            out.push({ type: EventType.TOOL_CALL_ARGS, toolCallId: event.tool_call_id, delta: rest } satisfies ToolCallArgsEvent);
            out.push({ type: EventType.TOOL_CALL_END, toolCallId: event.tool_call_id } satisfies ToolCallEndEvent);
          }
          out.push({
            type: EventType.TOOL_CALL_RESULT, messageId: `${event.tool_call_id}.result`, toolCallId: event.tool_call_id, role: "tool",
            content: JSON.stringify({ ok: event.ok, result: event.result }),
          } satisfies ToolCallResultEvent);
          break;
        }
        case "partial_result":
          text(out, event.agent, event.delta);
          break;
        case "agent_completed": {
          closeMessage(out);
          out.push({ type: EventType.STEP_FINISHED, stepName: event.agent } satisfies StepFinishedEvent);
          if (event.agent !== topAgent) break;
          const { input_tokens: inputTokens, output_tokens: outputTokens } = event.usage;
          out.push({
            type: EventType.RUN_FINISHED, threadId: event.thread_id, runId: wire.runId, result: event.result,
            usage: [{ provider: "agent-sla", model: "reference-target", inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }],
          } satisfies RunFinishedEvent);
          break;
        }
        case "agent_error":
          out.push({ type: EventType.RUN_ERROR, message: event.message, code: event.code } satisfies RunErrorEvent);
          break;
      }
      return out;
    },
  };
}
