import type { ClientAction } from "./types.ts";

type RunAction = ClientAction & { kind: "run" };

const object = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const id = (value: unknown): value is string =>
  typeof value === "string" && value.length > 0 && value.length <= 128 && !value.includes("\u0000");

/** A user message's text: a string, or the text parts of a content array. */
function textOf(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  let text = "";
  for (const part of content as unknown[]) {
    const { type, text: partText } = object(part) ?? {};
    if (type === "text" && typeof partText === "string") text += partText;
  }
  return text;
}

/**
 * A RunAgentInput `{threadId, runId, messages, tools, context, state, forwardedProps}` as a run:
 * the last user message is the request, runId is the client's run key (a repeated one replays
 * the first run and bills nothing twice), and `forwardedProps.mode: "orchestration"` asks for
 * the nested agents.
 */
export function parseRunAgentInput(value: unknown): { ok: true; action: RunAction } | { ok: false; message: string } {
  const input = object(value);
  if (!input) return { ok: false, message: "RunAgentInput must be a JSON object" };
  const { threadId, runId, messages, tools, context, forwardedProps } = input;
  if (!id(threadId) || !id(runId)) return { ok: false, message: "threadId and runId must be strings of 1 to 128 characters" };
  if (!Array.isArray(messages)) return { ok: false, message: "messages must be an array" };
  if ((tools !== undefined && !Array.isArray(tools)) || (context !== undefined && !Array.isArray(context))) {
    return { ok: false, message: "tools and context must be arrays" };
  }
  const last = [...(messages as unknown[])].reverse().map(object).find((message) => message?.role === "user");
  const content = textOf(last?.content);
  if (content === undefined || content.length > 16_384 || content.includes("\u0000")) {
    return { ok: false, message: "messages must end with a user message whose content is text of at most 16384 characters" };
  }
  const mode = object(forwardedProps)?.mode === "orchestration" ? "orchestration" : "single";
  return { ok: true, action: { kind: "run", content, mode, threadId, runKey: runId } };
}
