import { intBetween, logNormal, type Random } from "./prng.ts";

/**
 * The latency model at time scale 1. Every figure is in ms and is multiplied by
 * TARGET_AGENT_TIME_SCALE and the slow-agents factor when the run sleeps.
 */
export const LATENCY_MODEL = {
  /** Median and log-normal shape of a whole single-agent run (≈1–2 s). */
  singleRunMedianMs: 1300,
  /** Median of a whole orchestration run, shared by its four agents. */
  orchestrationRunMedianMs: 2400,
  sigma: 0.3,
  /** Share of the run spent before the first event. */
  firstEventShare: 0.1,
  thinkingSteps: [1, 3] as const,
  toolCalls: [1, 2] as const,
  partialResults: [3, 6] as const,
};

export interface AgentPlan {
  thinkingSteps: number;
  toolCalls: number;
  partialResults: number;
}

export function runDurationMs(random: Random, mode: "single" | "orchestration"): number {
  const median = mode === "single" ? LATENCY_MODEL.singleRunMedianMs : LATENCY_MODEL.orchestrationRunMedianMs;
  return logNormal(random, median, LATENCY_MODEL.sigma);
}

export function planAgent(random: Random): AgentPlan {
  const m = LATENCY_MODEL;
  return {
    thinkingSteps: intBetween(random, m.thinkingSteps[0], m.thinkingSteps[1]),
    toolCalls: intBetween(random, m.toolCalls[0], m.toolCalls[1]),
    partialResults: intBetween(random, m.partialResults[0], m.partialResults[1]),
  };
}
