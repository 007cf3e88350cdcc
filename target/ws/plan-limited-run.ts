import type { WebSocket } from "ws";
import { CLOSE_RATE_LIMITED, CLOSE_SERVER_ERROR, type Plan } from "../../lib/protocol/index.ts";
import type { TargetContext } from "../context.ts";
import type { watchSocket } from "./socket-timers.ts";

/**
 * Starts a socket's run within its plan's concurrent-run limit, in every dialect: over the limit the
 * socket is closed with 4429 before anything is claimed (no run row, no billing row); a run that fails
 * closes it with 1011; either way the slot is given back and the idle timer knows.
 */
export function runWithinPlanLimit(
  ctx: TargetContext, socket: WebSocket, user: { userId: string; plan: Plan }, watch: ReturnType<typeof watchSocket>, run: () => Promise<void>,
): void {
  if (!ctx.runs.tryAcquire(user.userId, user.plan)) {
    socket.close(CLOSE_RATE_LIMITED, "rate limited by plan");
    return;
  }
  watch.runStarted();
  run()
    .catch(() => socket.close(CLOSE_SERVER_ERROR, "server error"))
    .finally(() => {
      watch.runEnded();
      ctx.runs.release(user.userId);
    });
}
