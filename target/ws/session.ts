import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import {
  CLOSE_POLICY_VIOLATION, CLOSE_RATE_LIMITED, CLOSE_SERVER_ERROR,
  type ConnectionEstablished, type Plan, type RunEvent, type UserMessage,
} from "../../lib/protocol/index.ts";
import { sleep, type TargetContext } from "../context.ts";
import { claimRun, fetchRun } from "../billing/run-store.ts";
import { executeRun } from "../agents/execute-run.ts";
import { parseClientMessage } from "./parse-client-message.ts";
import { watchSocket } from "./socket-timers.ts";

/** Runs in flight in this process, so a concurrent duplicate request_id waits for the first and replays it. */
const inflight = new Map<string, Promise<void>>();

/**
 * One authenticated socket. Bad JSON, an unknown type or invalid fields close
 * the socket with 1008 (policy violation) before anything is written; a run over
 * the plan's concurrent-run limit closes it with 4429.
 */
export function startSession(ctx: TargetContext, socket: WebSocket, user: { userId: string; plan: Plan; exp: number }): void {
  const watch = watchSocket(ctx, socket, user.exp);

  const send = (event: RunEvent | object): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
  };
  const sink = { send, drop: () => socket.terminate() };

  async function startRun(message: UserMessage): Promise<void> {
    const key = `${user.userId}\u0000${message.request_id}`;
    const threadId = message.thread_id ?? randomUUID();
    const mode = message.mode ?? "single";
    const claim = await claimRun(ctx.db, user.userId, message.request_id, threadId, mode);
    if (claim.kind === "new") {
      const done = executeRun(ctx, {
        runId: claim.runId, requestId: message.request_id, threadId, content: message.content, mode,
        userId: user.userId, plan: user.plan,
      }, sink).finally(() => inflight.delete(key));
      inflight.set(key, done);
      await done;
      return;
    }
    let existing = claim;
    const first = inflight.get(key);
    if (first) await first;
    // The first run may live in another process or be just finishing: poll until it settles.
    for (let i = 0; existing.status === "running" || first; i++) {
      existing = await fetchRun(ctx.db, user.userId, message.request_id);
      if (existing.status !== "running" || i > 1200) break;
      await sleep(50);
    }
    for (const event of existing.events) send(event);
  }

  socket.on("message", (data, isBinary) => {
    watch.touch();
    const message = isBinary ? undefined : parseClientMessage(data.toString());
    if (!message) {
      socket.close(CLOSE_POLICY_VIOLATION, "invalid message");
      return;
    }
    if (message.type === "ping") {
      send({ type: "pong", ts: message.ts });
      return;
    }
    // Checked before claimRun, so a refused message writes no run row and no billing row.
    if (!ctx.runs.tryAcquire(user.userId, user.plan)) {
      socket.close(CLOSE_RATE_LIMITED, "rate limited by plan");
      return;
    }
    watch.runStarted();
    startRun(message)
      .catch(() => socket.close(CLOSE_SERVER_ERROR, "server error"))
      .finally(() => {
        watch.runEnded();
        ctx.runs.release(user.userId);
      });
  });

  const hello: ConnectionEstablished = { type: "connection_established", user_id: user.userId, session_id: randomUUID(), ts: Date.now() };
  send(hello);
  watch.touch();
}
