import { randomUUID } from "node:crypto";
import { sleep, type TargetContext } from "../context.ts";
import { claimRun, fetchRun } from "../billing/run-store.ts";
import { executeRun, type RunSink } from "../agents/execute-run.ts";
import { hashSeed, seededRandom } from "../agents/prng.ts";
import type { ClientAction, RunEncoder, SessionUser, WireRun } from "./types.ts";

/** Where one run's encoded frames go, whatever the transport (a socket, an SSE response). */
export interface FrameSink {
  send(frames: object[]): void;
  /** Cuts the transport mid-run (drop-socket fault). */
  drop(): void;
  /** Writes one message that is not JSON (garbled-frame fault). */
  garble(): void;
  /** Aborted once the client is gone (socket closed, response closed). */
  gone: AbortSignal;
}

/** Runs in flight in this process, so a concurrent duplicate run key waits for the first and replays it. */
const inflight = new Map<string, Promise<void>>();

/** The contract's own frames: run events as they are (the native dialect). */
export const asContractEvents = (): RunEncoder => ({ encode: (event) => [event] });

/**
 * Claims the run and executes it, or, when the client's run key was seen before,
 * replays the first run's events (re-encoded) and bills nothing twice. Shared by
 * every dialect and both of AG-UI's transports.
 */
export async function runOrReplay(
  ctx: TargetContext, user: SessionUser, action: ClientAction & { kind: "run" }, encoderFor: (wire: WireRun) => RunEncoder, out: FrameSink,
): Promise<void> {
  const requestId = action.runKey ?? randomUUID();
  const threadId = action.threadId ?? randomUUID();
  const claim = await claimRun(ctx.db, user.userId, requestId, threadId, action.mode);
  const encoder = encoderFor({
    runId: action.runKey ?? claim.runId,
    random: seededRandom(hashSeed(`${ctx.options.seed}\u0000wire\u0000${requestId}`)),
  });
  const sink: RunSink = { send: (event) => out.send(encoder.encode(event)), drop: () => out.drop(), garble: () => out.garble(), gone: out.gone };
  const key = `${user.userId}\u0000${requestId}`;
  if (claim.kind === "new") {
    const request = { runId: claim.runId, requestId, threadId, content: action.content, mode: action.mode, userId: user.userId, plan: user.plan };
    const done = executeRun(ctx, request, sink).finally(() => inflight.delete(key));
    inflight.set(key, done);
    await done;
    return;
  }
  // The first run with this key may still be going, here or in another process: wait until it settles.
  const first = inflight.get(key);
  if (first) await first.catch(() => {});
  let existing = first ? await fetchRun(ctx.db, user.userId, requestId) : claim;
  for (let i = 0; existing.status === "running" && i < 1200; i++) {
    await sleep(50);
    existing = await fetchRun(ctx.db, user.userId, requestId);
  }
  for (const event of existing.events) sink.send(event);
}
