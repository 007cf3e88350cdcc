import type { Usage } from "../../lib/protocol/index.ts";
import type { AgentRun } from "./agent-run.ts";
import { agentWork } from "./agent-run.ts";
import { LATENCY_MODEL, planAgent } from "./latency-model.ts";

/** A single assistant agent. Returns its final agent_completed body, not yet emitted. */
export async function runSingleAgent(run: AgentRun) {
  const total = run.runDurationMs("single");
  await run.pause(total * LATENCY_MODEL.firstEventShare);
  const plan = planAgent(run.random);
  const tools = Array.from({ length: plan.toolCalls }, (_, i) => ({ name: i === 0 ? "search_docs" : "summarize" }));
  const { completion, usage } = await agentWork(run, "assistant", total * (1 - LATENCY_MODEL.firstEventShare), tools, plan);
  return { completion, usage: usage satisfies Usage };
}
