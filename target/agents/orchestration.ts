import { randomUUID } from "node:crypto";
import type { AgentName, Usage } from "../../lib/protocol/index.ts";
import { agentWork, type AgentRun, type ToolSpec } from "./agent-run.ts";
import { LATENCY_MODEL, planAgent } from "./latency-model.ts";

/** The data agent's tool: a real aggregate over the user's billing records, so the database is under load. */
function billingLookup(run: AgentRun): ToolSpec {
  return {
    name: "billing_lookup",
    async execute() {
      const { rows } = await run.db.query<{ runs: string | number; amount_micros: string | number }>(
        "SELECT count(*) AS runs, coalesce(sum(amount_micros), 0) AS amount_micros FROM billing_records WHERE user_id = $1",
        [run.userId],
      );
      return { runs: Number(rows[0]?.runs ?? 0), amount_micros: Number(rows[0]?.amount_micros ?? 0) };
    },
  };
}

const TOOLS: Record<"triage" | "data" | "actions", (run: AgentRun) => ToolSpec[]> = {
  triage: () => [{ name: "classify_request" }],
  data: (run) => [billingLookup(run)],
  actions: () => [{ name: "draft_reply" }],
};

/**
 * supervisor → triage → data → actions with one context_id. Each worker completes
 * before the next handoff; the supervisor's completion (returned, not emitted) ends the run.
 */
export async function runOrchestration(run: AgentRun, options: { skipTriage: boolean }) {
  const total = run.runDurationMs("orchestration");
  const share = (total * (1 - LATENCY_MODEL.firstEventShare)) / 5;
  await run.pause(total * LATENCY_MODEL.firstEventShare);
  const contextId = randomUUID();
  run.emit({ type: "agent_started", agent: "supervisor" });
  run.emit({ type: "agent_thinking", agent: "supervisor", thought: "routing the request" });
  const usage: Usage = { input_tokens: 0, output_tokens: 0 };
  let from: AgentName = "supervisor";
  const workers = options.skipTriage ? (["data", "actions"] as const) : (["triage", "data", "actions"] as const);
  for (const worker of workers) {
    await run.pause(share * 0.1);
    run.emit({ type: "agent_handoff", from, to: worker, context_id: contextId });
    const plan = planAgent(run.random);
    const result = await agentWork(run, worker, share, TOOLS[worker](run), plan);
    run.emit(result.completion);
    usage.input_tokens += result.usage.input_tokens;
    usage.output_tokens += result.usage.output_tokens;
    from = worker;
  }
  await run.pause(share * 0.5);
  run.emit({ type: "partial_result", agent: "supervisor", delta: "all agents finished" });
  await run.pause(share * 0.4);
  return {
    completion: { type: "agent_completed" as const, agent: "supervisor" as const, result: "all agents finished", usage },
    usage,
  };
}
