import type { Plan } from './protocol/index.ts';
import { planBoundProblem, SLA_CATALOG, SLA_IDS, type PlanBounds, type SlaBounds, type SlaId } from './sla-catalog.ts';

/** SLA_<SLA>_MS_<PLAN> (or _RATE_, to name the mistake of a per-plan rate). */
const PLAN_BOUND_NAME = /^SLA_([A-Z0-9]+)_(MS|RATE)_([A-Z0-9]+)$/;

/**
 * A plan's own latency bounds from the k6 environment: SLA_AGENT_MS_ENTERPRISE=15000 → { agent: { enterprise: 15000 } }.
 * Every other SLA_* name that is not an SLA's own variable is a mistake, so a typo cannot leave a plan unjudged.
 * Returns the bounds, or one line saying what is wrong.
 */
export function readPlanBounds(env: Record<string, string | undefined>, sla: SlaBounds): { bounds: PlanBounds } | { error: string } {
  const own = new Set<string>(SLA_IDS.map((id) => SLA_CATALOG[id].env));
  const bounds: Partial<Record<SlaId, Partial<Record<Plan, number>>>> = {};
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('SLA_') || own.has(name)) continue;
    const text = env[name]?.trim() ?? '';
    if (text === '') continue;
    const match = PLAN_BOUND_NAME.exec(name);
    if (!match) return { error: `${name} is not an SLA variable: a plan's own bound is SLA_<SLA>_MS_<PLAN>, e.g. SLA_AGENT_MS_ENTERPRISE=15000` };
    const [, slaPart, unit, planPart] = match;
    const id = SLA_IDS.find((candidate) => SLA_CATALOG[candidate].env === `SLA_${slaPart}_${unit}`) ?? slaPart!.toLowerCase();
    const problem = planBoundProblem(id, planPart!.toLowerCase());
    if (problem) return { error: `${name}: ${problem}` };
    const slaId = id as SlaId;
    if (sla[slaId] === undefined) return { error: `${name} needs ${SLA_CATALOG[slaId].env} too: ${slaId} has no default bound` };
    const value = Number(text);
    if (!(value > 0) || !Number.isFinite(value)) return { error: `${name}="${text}" must be a number above 0 (ms)` };
    (bounds[slaId] ??= {})[planPart!.toLowerCase() as Plan] = value;
  }
  return { bounds };
}
