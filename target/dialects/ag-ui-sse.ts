import type { IncomingMessage, ServerResponse } from "node:http";
import type { BaseEvent } from "@ag-ui/core";
import { EventEncoder } from "@ag-ui/encoder";
import type { TargetContext } from "../context.ts";
import { bearer } from "../auth/tokens.ts";
import { HttpError, readJsonObject } from "../http/respond.ts";
import { agUiRunEncoder } from "./ag-ui-encoder.ts";
import { parseRunAgentInput } from "./ag-ui-input.ts";
import { runOrReplay } from "./run-or-replay.ts";

const EVENT_STREAM = "text/event-stream";

/** Absent, `*\/*`, `text/*` or `text/event-stream` (with any parameters) allows the stream. */
function acceptsEventStream(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(",").some((range) => ["*/*", "text/*", EVENT_STREAM].includes(range.split(";")[0]!.trim().toLowerCase()));
}

/** Refuses before the body is read; the body is drained so the connection stays usable. */
function refuse(req: IncomingMessage, error: HttpError): never {
  req.resume();
  throw error;
}

/**
 * `POST <agent path>`: a RunAgentInput in, the run's AG-UI events out as Server-Sent
 * Events, each framed by the official EventEncoder (`data: <json>` and a blank line).
 * The run goes on, and is billed, if the client goes away; drop-socket cuts the response.
 */
export async function serveAgentRun(ctx: TargetContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const claims = await ctx.tokens.verify(bearer(req.headers.authorization));
  if (!claims) refuse(req, new HttpError(401, "unauthorized", "missing or invalid access token"));
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    refuse(req, new HttpError(415, "unsupported_media_type", "Content-Type must be application/json"));
  }
  if (!acceptsEventStream(req.headers.accept)) refuse(req, new HttpError(406, "not_acceptable", `Accept must allow ${EVENT_STREAM}`));
  const parsed = parseRunAgentInput(await readJsonObject(req, ctx.options.maxBodyBytes));
  if (!parsed.ok) throw new HttpError(422, "invalid_input", parsed.message);
  const user = { userId: claims.sub, plan: claims.plan, exp: claims.exp };
  if (!ctx.runs.tryAcquire(user.userId, user.plan)) throw new HttpError(429, "rate_limited", "too many runs in flight for this plan");
  try {
    const encoder = new EventEncoder({ accept: EVENT_STREAM });
    res.writeHead(200, { "content-type": encoder.getContentType(), "cache-control": "no-cache", "x-accel-buffering": "no" });
    res.flushHeaders();
    const open = (): boolean => !res.destroyed && !res.writableEnded;
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    await runOrReplay(ctx, user, parsed.action, (wire) => agUiRunEncoder(wire, { toolCallsMayStayOpen: () => ctx.faults.dropToolCompleted }), {
      send(frames) {
        for (const frame of frames) if (open()) res.write(encoder.encodeSSE(frame as BaseEvent));
      },
      drop: () => res.destroy(),
      garble: () => void (open() && res.write("data: {garbled\n\n")),
      gone: gone.signal,
    });
    if (open()) res.end();
  } finally {
    ctx.runs.release(user.userId);
  }
}
