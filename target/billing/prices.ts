import type { Plan, Usage } from "../../lib/protocol/index.ts";

/** Price per token in micro-units of currency; deliberately different per plan. */
export const PRICE_MICROS_PER_TOKEN: Readonly<Record<Plan, number>> = { free: 3, pro: 2, enterprise: 1 };

export function priceRun(plan: Plan, usage: Usage): number {
  return (usage.input_tokens + usage.output_tokens) * PRICE_MICROS_PER_TOKEN[plan];
}
