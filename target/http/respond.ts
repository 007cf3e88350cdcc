import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorBody } from "../../lib/protocol/index.ts";

/** An error that becomes `{error: {code, message}}` with its status. Messages never carry secrets. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  sendJson(res, error.status, body);
}

/** Reads a JSON object body up to limit bytes: 413 past it, 400 when it is not a JSON object. */
export async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new HttpError(413, "payload_too_large", `body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, "payload_too_large", `body over ${limit} bytes`);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "bad_json", "body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, "bad_request", "body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

export function requireString(body: Record<string, unknown>, field: string, max: number, min = 1): string {
  const value = body[field];
  // PostgreSQL text cannot hold NUL, so it is refused here rather than failing in the database.
  if (typeof value !== "string" || value.length < min || value.length > max || value.includes("\u0000")) {
    throw new HttpError(400, "bad_request", `${field} must be a string of ${min} to ${max} characters without NUL`);
  }
  return value;
}
