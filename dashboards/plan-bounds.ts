import type { LatencySla } from '../cli/report/sla-catalog.ts';
import { testidFilter } from './filters.ts';

/** The measurement lib/record-plan-bounds.ts writes in setup(): one sample per plan with its own bound (tags sla, plan). */
export const planBoundMeasurement = 'sla_plan_bound_ms';

/**
 * Each plan's own bound of one SLA, as a flat line per plan for the run shown. The sample is written once, before
 * the load, so fill(previous) carries it across the panel from there on. No scenario filter: setup() has no scenario.
 */
export function planBoundQuery(sla: LatencySla): string {
  return `SELECT last("value") FROM "${planBoundMeasurement}" WHERE ${testidFilter} AND "sla" = '${sla.key}' AND "plan" =~ /^$plan$/ ` +
    `AND $timeFilter GROUP BY time($__interval), "plan" fill(previous)`;
}
