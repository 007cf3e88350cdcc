import type { Plan } from '../../lib/protocol/index.ts';
import { meetsBound, planBoundsOf, SLA_CATALOG, SLA_IDS, type SlaId, type SlaOverrides } from '../../lib/sla-catalog.ts';

export type { SlaOverrides };

interface SlaCommon {
  key: SlaId;
  title: string;
  metric: string;
}

/** A latency SLA: the run's p(95) of a Trend (ms) must stay under a bound. */
export interface LatencySla extends SlaCommon {
  kind: 'latency';
  /** p(95) must be strictly below this, ms. */
  p95BelowMs: number;
  /** Plans with their own bound (agent.enterprise=15s); the other plans are held to p95BelowMs. */
  planBounds: Readonly<Partial<Record<Plan, number>>>;
  /** Set on the row of one plan (judgedRows): the samples of that plan, held to its own bound. */
  plan?: Plan;
}

/** A rate SLA: the share of true samples of a Rate must reach a bound (1: every sample). */
export interface RateSla extends SlaCommon {
  kind: 'rate';
  verdict: 'correctness' | 'availability';
  /** The rate must be at least this; 1 means exact. */
  minRate: number;
}

export type Sla = LatencySla | RateSla;

/**
 * Every SLA of lib/sla-catalog.ts with the caller's bounds, in the catalogue's order. An optional SLA
 * (ttft, itl) is there only when a bound is given, as the run judges it only then.
 */
export function slaCatalog(overrides: SlaOverrides = {}): Sla[] {
  const byPlan = planBoundsOf(overrides);
  return SLA_IDS.flatMap((key): Sla[] => {
    const def = SLA_CATALOG[key];
    if (def.kind === 'rate') return [{ kind: 'rate', key, title: def.title, metric: def.metric, verdict: def.verdict, minRate: overrides[key] ?? def.defaultRate }];
    const bound = overrides[key] ?? def.defaultMs;
    return bound === undefined ? [] : [{ kind: 'latency', key, title: def.title, metric: def.metric, p95BelowMs: bound, planBounds: byPlan[key] ?? {} }];
  });
}

/** Whether a p95 (latency) or rate (rate) meets the SLA, by the rule k6's threshold applies; `bound` for a plan's own. */
export const slaMet = (sla: Sla, value: number, bound?: number): boolean =>
  meetsBound(sla.kind, bound ?? (sla.kind === 'latency' ? sla.p95BelowMs : sla.minRate), value);

/** The key of a report row: the SLA's ("agent") or one plan's ("agent.enterprise"). */
export const rowKey = (sla: Sla): string => (sla.kind === 'latency' && sla.plan ? `${sla.key}.${sla.plan}` : sla.key);

/** How a row is named: "agent response" or "agent response [plan:enterprise]", as in the end-of-test table. */
export const rowTitle = (sla: Sla): string => (sla.kind === 'latency' && sla.plan ? `${sla.title} [plan:${sla.plan}]` : sla.title);

/** The rows a report judges: every SLA, each followed by a row per plan that has its own bound. */
export function judgedRows(slas: readonly Sla[]): Sla[] {
  return slas.flatMap((sla): Sla[] => {
    if (sla.kind !== 'latency') return [sla];
    const plans = (Object.entries(sla.planBounds) as [Plan, number][]).map(([plan, bound]): Sla => ({ ...sla, plan, p95BelowMs: bound }));
    return [sla, ...plans];
  });
}
