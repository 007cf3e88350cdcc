import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import { CLOSE_POLICY_VIOLATION, type ConnectionEstablished, type Plan, type RunEvent, type UserMessage } from "../../lib/protocol/index.ts";
import type { TargetContext } from "../context.ts";
import { asContractEvents, runOrReplay } from "../dialects/run-or-replay.ts";
import { parseClientMessage } from "./parse-client-message.ts";
import { runWithinPlanLimit } from "./plan-limited-run.ts";
import { sendGarbled, watchSocket } from "./socket-timers.ts";

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
  const out = { send: (frames: object[]) => frames.forEach(send), drop: () => socket.terminate(), garble: () => sendGarbled(socket), gone: watch.gone };

  const startRun = (message: UserMessage): Promise<void> =>
    runOrReplay(ctx, user, {
      kind: "run", runKey: message.request_id, content: message.content, mode: message.mode ?? "single",
      ...(message.thread_id !== undefined ? { threadId: message.thread_id } : {}),
    }, asContractEvents, out);

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
    runWithinPlanLimit(ctx, socket, user, watch, () => startRun(message));
  });

  const hello: ConnectionEstablished = { type: "connection_established", user_id: user.userId, session_id: randomUUID(), ts: Date.now() };
  send(hello);
  watch.touch();
}
