import { RUN_MODES, type ClientMessage, type RunMode } from "../../lib/protocol/index.ts";

const MODES = new Set<unknown>(RUN_MODES);

function shortString(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= max && !value.includes("\u0000");
}

/** A valid client message, or undefined for bad JSON, an unknown type or bad fields. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.type === "ping") return { type: "ping", ts: typeof m.ts === "number" ? m.ts : Date.now() };
  if (m.type !== "user_message") return undefined;
  if (!shortString(m.request_id, 128) || typeof m.content !== "string" || m.content.length > 16_384 || m.content.includes("\u0000")) return undefined;
  if (m.thread_id !== undefined && !shortString(m.thread_id, 128)) return undefined;
  if (m.mode !== undefined && !MODES.has(m.mode)) return undefined;
  return {
    type: "user_message",
    request_id: m.request_id,
    content: m.content,
    ...(m.thread_id !== undefined ? { thread_id: m.thread_id as string } : {}),
    mode: (m.mode as RunMode | undefined) ?? "single",
  };
}
