import type { Plan, RunEvent, RunEventBody, RunMode } from "../../lib/protocol/index.ts";
import { sleep, type TargetContext } from "../context.ts";
import { completeRun, failRun } from "../billing/run-store.ts";
import { hashSeed, seededRandom } from "./prng.ts";
import type { AgentRun } from "./agent-run.ts";
import { runSingleAgent } from "./single.ts";
import { runOrchestration } from "./orchestration.ts";
import { runDurationMs } from "./latency-model.ts";
import { QueueFull, RunCancelled, type HeldSlot } from "./agent-slots.ts";

export interface RunRequest {
  runId: string;
  requestId: string;
  threadId: string;
  content: string;
  mode: RunMode;
  userId: string;
  plan: Plan;
}

/** Where a run's events go; the run goes on (and is billed) even if the socket is gone. */
export interface RunSink {
  send(event: RunEvent): void;
  /** Cuts the connection (drop-socket fault). */
  drop(): void;
  /** Sends one message that is not JSON (garbled-frame fault). */
  garble(): void;
  /** Aborted once the client is gone. Only the capacity knob's runs heed it: they leave the queue or free their slot. */
  gone: AbortSignal;
}

/** Thrown by the agent-error fault after the agents worked, so the run ends in its error event. */
class InjectedAgentError extends Error {}

/**
 * Runs the agents, stamps every event with the run fields and seq, and commits
 * billing BEFORE sending the terminal event, so a client that saw
 * agent_completed can already read its billing record. With the capacity knob, the
 * run first waits for an agent slot and works in it for exactly the knob's run time.
 */
export async function executeRun(ctx: TargetContext, request: RunRequest, sink: RunSink): Promise<void> {
  const events: RunEvent[] = [];
  let seq = 0;
  const random = seededRandom(hashSeed(`${ctx.options.seed}\u0000${request.requestId}`));
  const dropAt = ctx.faults.dropSocket() ? 2 + Math.floor(random() * 4) : -1;
  const stamp = (body: RunEventBody): RunEvent =>
    ({ ...body, request_id: request.requestId, run_id: request.runId, thread_id: request.threadId, ts: Date.now(), seq: ++seq }) as RunEvent;
  let toolCalls = 0;
  let firstDelta = true;
  let slot: HeldSlot | undefined;
  const run: AgentRun = {
    random,
    userId: request.userId,
    content: request.content,
    db: ctx.db,
    emit(body) {
      if (body.type === "tool_completed" && ctx.faults.dropToolCompleted) return;
      const event = stamp(body);
      events.push(event);
      sink.send(event);
      if (event.seq === 1 && ctx.faults.garbledFrame) sink.garble();
      if (event.seq === dropAt) sink.drop();
    },
    runDurationMs(mode) {
      // Drawn even when the knob replaces it, so a seed gives the same events either way.
      const drawn = runDurationMs(random, mode);
      return ctx.slots ? ctx.slots.spec.runMs : drawn;
    },
    pause: (ms) => (slot ? slot.pause(ms) : sleep(ms * ctx.options.agentTimeScale * ctx.faults.slowAgentsFactor)),
    nextToolCallId: () => `${request.runId}.${++toolCalls}`,
    async beforeDelta() {
      if (!firstDelta) return;
      firstDelta = false;
      if (ctx.faults.slowFirstTokenMs > 0) await (slot ? slot.delay(ctx.faults.slowFirstTokenMs) : sleep(ctx.faults.slowFirstTokenMs));
    },
  };
  let terminalStamped = false;
  try {
    if (ctx.slots) slot = await ctx.slots.acquire(ctx.faults.slowAgentsFactor, sink.gone);
    const outcome = request.mode === "orchestration" ? await runOrchestration(run, { skipTriage: ctx.faults.skipTriage }) : await runSingleAgent(run);
    await slot?.finish();
    if (ctx.faults.agentError) throw new InjectedAgentError();
    const terminal = stamp(outcome.completion);
    terminalStamped = true;
    events.push(terminal);
    await completeRun(ctx.db, ctx.faults, { ...request, usage: outcome.usage, events });
    if (!ctx.faults.noTerminal) sink.send(terminal);
  } catch (failure) {
    slot?.free();
    if (terminalStamped) {
      // The commit failed, so the completion was never sent: the error takes its place.
      events.pop();
      seq--;
    }
    const agent = request.mode === "single" ? "assistant" : "supervisor";
    if (seq === 0) {
      // Refused or cut off before the agent began (the capacity knob): it still opens the run, which stays valid and failed.
      const started = stamp({ type: "agent_started", agent });
      events.push(started);
      sink.send(started);
    }
    const error = stamp({
      type: "agent_error", agent,
      code: failureCode(failure, ctx.faults.dbDown),
      message: failure instanceof QueueFull ? `overloaded: ${failure.message}` : "the run failed",
    });
    events.push(error);
    await failRun(ctx.db, request.runId, events).catch(() => {});
    sink.send(error);
  }
}

function failureCode(failure: unknown, dbDown: boolean): string {
  if (failure instanceof InjectedAgentError) return "injected_fault";
  if (failure instanceof QueueFull) return "overloaded";
  if (failure instanceof RunCancelled) return "cancelled";
  return dbDown ? "db_unavailable" : "internal";
}
