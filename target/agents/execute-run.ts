import type { Plan, RunEvent, RunEventBody, RunMode } from "../../lib/protocol/index.ts";
import { sleep, type TargetContext } from "../context.ts";
import { completeRun, failRun } from "../billing/run-store.ts";
import { hashSeed, seededRandom } from "./prng.ts";
import type { AgentRun } from "./agent-run.ts";
import { runSingleAgent } from "./single.ts";
import { runOrchestration } from "./orchestration.ts";

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
}

/** Thrown by the agent-error fault after the agents worked, so the run ends in its error event. */
class InjectedAgentError extends Error {}

/**
 * Runs the agents, stamps every event with the run fields and seq, and commits
 * billing BEFORE sending the terminal event, so a client that saw
 * agent_completed can already read its billing record.
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
    pause: (ms) => sleep(ms * ctx.options.agentTimeScale * ctx.faults.slowAgentsFactor),
    nextToolCallId: () => `${request.runId}.${++toolCalls}`,
    async beforeDelta() {
      if (!firstDelta) return;
      firstDelta = false;
      if (ctx.faults.slowFirstTokenMs > 0) await sleep(ctx.faults.slowFirstTokenMs);
    },
  };
  let terminalStamped = false;
  try {
    const outcome = request.mode === "orchestration" ? await runOrchestration(run, { skipTriage: ctx.faults.skipTriage }) : await runSingleAgent(run);
    if (ctx.faults.agentError) throw new InjectedAgentError();
    const terminal = stamp(outcome.completion);
    terminalStamped = true;
    events.push(terminal);
    await completeRun(ctx.db, ctx.faults, { ...request, usage: outcome.usage, events });
    if (!ctx.faults.noTerminal) sink.send(terminal);
  } catch (failure) {
    if (terminalStamped) {
      // The commit failed, so the completion was never sent: the error takes its place.
      events.pop();
      seq--;
    }
    const error = stamp({
      type: "agent_error", agent: request.mode === "single" ? "assistant" : "supervisor",
      code: failure instanceof InjectedAgentError ? "injected_fault" : ctx.faults.dbDown ? "db_unavailable" : "internal",
      message: "the run failed",
    });
    events.push(error);
    await failRun(ctx.db, request.runId, events).catch(() => {});
    sink.send(error);
  }
}
