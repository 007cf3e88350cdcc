import { REFERENCE_PRICE_MICROS_PER_TOKEN, type Plan, type Usage } from "../../lib/protocol/index.ts";

export function priceRun(plan: Plan, usage: Usage): number {
  return (usage.input_tokens + usage.output_tokens) * REFERENCE_PRICE_MICROS_PER_TOKEN[plan];
}
