import { PLANS, type Plan } from "./types.ts";

/**
 * What the reference target charges per token, in micro-units of currency, deliberately different per plan.
 * Another backend has its own prices; the scenarios take them as PLAN_PRICES, whose default is this table.
 */
export const REFERENCE_PRICE_MICROS_PER_TOKEN: Readonly<Record<Plan, number>> = { free: 3, pro: 2, enterprise: 1 };

/** The table as PLAN_PRICES text: "free:3,pro:2,enterprise:1". */
export const REFERENCE_PLAN_PRICES = PLANS.map((plan) => `${plan}:${REFERENCE_PRICE_MICROS_PER_TOKEN[plan]}`).join(",");
