import type { AgentName, RunEventBody, RunMode, Usage } from "../../lib/protocol/index.ts";
import type { Queryable } from "../db/open.ts";
import type { Random } from "./prng.ts";

/** What an agent may do: emit events, wait on the latency model, query the database. */
export interface AgentRun {
  readonly random: Random;
  readonly userId: string;
  readonly content: string;
  readonly db: Queryable;
  emit(body: RunEventBody): void;
  /** The whole run's model time, which its pauses share out: drawn from the latency model, or the capacity knob's run time. */
  runDurationMs(mode: RunMode): number;
  /** Waits ms of model time (scaled by time scale and the slow-agents fault). */
  pause(ms: number): Promise<void>;
  nextToolCallId(): string;
  /** Awaited before each text delta: the slow-first-token fault delays the run's first one. */
  beforeDelta(): Promise<void>;
}

export interface ToolSpec {
  name: string;
  /** Real work; without it the tool only takes time. */
  execute?: () => Promise<unknown>;
}

const WORDS = ["checking", "the", "account", "records", "found", "plan", "usage", "looks", "consistent", "done."];

function delta(random: Random): string {
  return `${WORDS[Math.floor(random() * WORDS.length)]} `;
}

/**
 * One agent's life: started, thinking, tool calls, streamed partial results.
 * Returns the completion body for the caller to emit, so the top agent's
 * completion can wait for the billing commit.
 */
export async function agentWork(
  run: AgentRun,
  agent: AgentName,
  budgetMs: number,
  tools: ToolSpec[],
  plan: { thinkingSteps: number; partialResults: number },
): Promise<{ completion: RunEventBody & { type: "agent_completed" }; usage: Usage }> {
  run.emit({ type: "agent_started", agent });
  for (let i = 0; i < plan.thinkingSteps; i++) {
    await run.pause((budgetMs * 0.3) / plan.thinkingSteps);
    run.emit({ type: "agent_thinking", agent, thought: `step ${i + 1} of ${plan.thinkingSteps}` });
  }
  for (const tool of tools) {
    const id = run.nextToolCallId();
    run.emit({ type: "tool_executing", agent, tool: tool.name, tool_call_id: id });
    await run.pause((budgetMs * 0.3) / Math.max(tools.length, 1));
    let ok = true;
    let result: unknown = { status: "done" };
    if (tool.execute) {
      try {
        result = await tool.execute();
      } catch {
        ok = false;
        result = { status: "failed" };
      }
    }
    run.emit({ type: "tool_completed", agent, tool: tool.name, tool_call_id: id, ok, result });
  }
  let text = "";
  for (let i = 0; i < plan.partialResults; i++) {
    await run.pause((budgetMs * 0.4) / plan.partialResults);
    const piece = delta(run.random);
    await run.beforeDelta();
    text += piece;
    run.emit({ type: "partial_result", agent, delta: piece });
  }
  const usage = {
    input_tokens: 20 + Math.ceil(run.content.length / 4) + Math.floor(run.random() * 50),
    output_tokens: 10 + text.length + Math.floor(run.random() * 30),
  };
  return { completion: { type: "agent_completed", agent, result: text.trim(), usage }, usage };
}
