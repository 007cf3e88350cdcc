import { Gauge } from 'k6/metrics';
import type { Config } from './config.ts';
import type { SlaId } from './sla-catalog.ts';

/**
 * The plans' own latency bounds as data (tags sla and plan, value in ms), so a dashboard can draw each plan's
 * threshold line for the run it shows: Grafana has no other way to learn a bound set for one run.
 */
export const slaPlanBound = new Gauge('sla_plan_bound_ms');

/** For setup(): one sample per plan that has its own bound (SLA_AGENT_MS_ENTERPRISE); nothing when none is set. */
export function recordPlanBounds(config: Config): void {
  for (const [sla, plans] of Object.entries(config.slaByPlan) as [SlaId, Record<string, number>][]) {
    for (const [plan, bound] of Object.entries(plans)) slaPlanBound.add(bound, { sla, plan });
  }
}
