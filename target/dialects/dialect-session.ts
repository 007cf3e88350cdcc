import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import { CLOSE_POLICY_VIOLATION } from "../../lib/protocol/index.ts";
import type { TargetContext } from "../context.ts";
import { runOrReplay } from "./run-or-replay.ts";
import type { ClientAction, SessionCodec, SessionUser } from "./types.ts";
import { runWithinPlanLimit } from "../ws/plan-limited-run.ts";
import { sendGarbled, watchSocket } from "../ws/socket-timers.ts";

/**
 * One socket of a non-native dialect: the same runs, run store, billing, plan
 * limits and timers as the contract's session, with the codec deciding every
 * byte on the wire. A run key the client repeats replays the first run's
 * events, re-encoded, and bills nothing twice.
 */
export function startDialectSession(ctx: TargetContext, socket: WebSocket, user: SessionUser, codec: SessionCodec): void {
  const watch = watchSocket(ctx, socket, user.exp);

  const serialize = codec.serialize ?? ((frame: object) => JSON.stringify(frame));
  const send = (frames: object[]): void => {
    for (const frame of frames) if (socket.readyState === socket.OPEN) socket.send(serialize(frame));
  };

  const startRun = (action: ClientAction & { kind: "run" }): Promise<void> =>
    runOrReplay(ctx, user, action, (wire) => codec.runEncoder(wire), {
      send, drop: () => socket.terminate(), garble: () => sendGarbled(socket), gone: watch.gone,
    });

  socket.on("message", (data, isBinary) => {
    watch.touch();
    const action: ClientAction = isBinary ? { kind: "invalid", frames: [] } : codec.receive(data.toString());
    switch (action.kind) {
      case "ignore":
        return;
      case "reply":
        send(action.frames);
        return;
      case "invalid":
        send(action.frames);
        socket.close(CLOSE_POLICY_VIOLATION, "invalid message");
        return;
      case "run":
        runWithinPlanLimit(ctx, socket, user, watch, () => startRun(action));
    }
  });

  send(codec.hello(randomUUID(), user.userId));
  watch.touch();
}
