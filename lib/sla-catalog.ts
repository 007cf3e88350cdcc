/**
 * Every SLA agent-sla judges, as data: the k6 thresholds (lib/sla.ts), `--sla` (cli/sla-spec.ts),
 * the end-of-test table, JUnit and sla-summary.json (lib/summary/), `agent-sla report` (cli/report/)
 * and the Grafana dashboards all read it, so an SLA has one title and one default everywhere.
 * Pure data and functions with no k6 and no Node import: both sides bundle it.
 */
import { formatPercent } from './format.ts';

import { PLANS, type Plan } from './protocol/index.ts';

export const SLA_IDS = ['signup', 'auth', 'agent', 'orchestration', 'ttft', 'itl', 'sequence', 'billing', 'runs', 'refusals', 'responses'] as const;
export type SlaId = (typeof SLA_IDS)[number];
/** The SLAs with no default bound: judged only when a bound is set (SLA_TTFT_MS, --sla ttft=2s). */
export const OPTIONAL_SLA_IDS = ['ttft', 'itl'] as const satisfies readonly SlaId[];
export type OptionalSlaId = (typeof OPTIONAL_SLA_IDS)[number];

interface SlaBase {
  title: string;
  metric: string;
  /** The library tags the metric with the user's plan, so there is a per-plan breakdown. */
  byPlan: boolean;
  /** The k6 `__ENV` variable that moves the bound. */
  env: string;
}

/** p(95) of a Trend, in ms, must stay below the bound. */
export interface LatencySlaDef extends SlaBase {
  kind: 'latency';
  /** undefined: an optional SLA, judged only when a bound is set. */
  defaultMs: number | undefined;
}

/**
 * The share of true samples of a Rate must reach the bound. A correctness verdict is exact by
 * default (a run billed twice is wrong, however rare); availability has a budget for the runs
 * that the network or the backend's load cut short.
 */
export interface RateSlaDef extends SlaBase {
  kind: 'rate';
  verdict: 'correctness' | 'availability';
  defaultRate: number;
}

export type SlaDef = LatencySlaDef | RateSlaDef;

const EXACT = 1;
const AVAILABILITY_BUDGET = 0.99;

export const SLA_CATALOG: Readonly<Record<SlaId, SlaDef>> = {
  signup: { kind: 'latency', title: 'signup', metric: 'signup_duration', byPlan: true, env: 'SLA_SIGNUP_MS', defaultMs: 10_000 },
  auth: { kind: 'latency', title: 'auth', metric: 'auth_duration', byPlan: true, env: 'SLA_AUTH_MS', defaultMs: 5_000 },
  agent: { kind: 'latency', title: 'agent response', metric: 'agent_response_duration', byPlan: true, env: 'SLA_AGENT_MS', defaultMs: 30_000 },
  orchestration: {
    kind: 'latency', title: 'orchestration', metric: 'orchestration_duration', byPlan: true, env: 'SLA_ORCHESTRATION_MS', defaultMs: 45_000,
  },
  ttft: {
    kind: 'latency', title: 'time to first token', metric: 'agent_time_to_first_token', byPlan: true, env: 'SLA_TTFT_MS', defaultMs: undefined,
  },
  itl: {
    kind: 'latency', title: 'inter-token latency', metric: 'agent_inter_token_latency', byPlan: true, env: 'SLA_ITL_MS', defaultMs: undefined,
  },
  sequence: { kind: 'rate', title: 'event sequence well-formed', metric: 'agent_event_sequence_ok', byPlan: true, env: 'SLA_SEQUENCE_RATE', verdict: 'correctness', defaultRate: EXACT },
  billing: { kind: 'rate', title: 'billed exactly once', metric: 'billing_reconciled', byPlan: true, env: 'SLA_BILLING_RATE', verdict: 'correctness', defaultRate: EXACT },
  runs: { kind: 'rate', title: 'agent runs completed', metric: 'agent_run_ok', byPlan: true, env: 'SLA_RUNS_RATE', verdict: 'availability', defaultRate: AVAILABILITY_BUDGET },
  refusals: { kind: 'rate', title: 'bad tokens refused', metric: 'auth_refusal_ok', byPlan: false, env: 'SLA_REFUSALS_RATE', verdict: 'correctness', defaultRate: EXACT },
  responses: {
    kind: 'rate', title: 'responses as the contract says', metric: 'checks', byPlan: false, env: 'SLA_RESPONSES_RATE', verdict: 'availability', defaultRate: AVAILABILITY_BUDGET,
  },
};

export const isSlaId = (name: string): name is SlaId => (SLA_IDS as readonly string[]).includes(name);

/** The bound an SLA has when nobody moves it: ms for a latency, 0..1 for a rate; undefined for an optional SLA. */
export const defaultBound = (id: SlaId): number | undefined => {
  const def = SLA_CATALOG[id];
  return def.kind === 'latency' ? def.defaultMs : def.defaultRate;
};

/** Each SLA's bound: a number for the SLAs that always apply, number | undefined for the optional ones. */
export type SlaBounds = { readonly [K in SlaId]: K extends OptionalSlaId ? number | undefined : number };

/** Bounds of single plans on top of the overall bound, for latency SLAs: { agent: { enterprise: 15000 } }. */
export type PlanBounds = Readonly<Partial<Record<SlaId, Readonly<Partial<Record<Plan, number>>>>>>;

/** A key of `--sla`: an SLA (agent) or one plan of it (agent.enterprise). */
export type SlaKey = SlaId | `${SlaId}.${Plan}`;

/** Bounds by `--sla` key, as `--sla` gives them: ms for a latency, 0..1 for a rate. */
export type SlaOverrides = Partial<Record<SlaKey, number>>;

/** The per-plan bounds among `--sla` overrides: { agent: { enterprise: 15000 } }. */
export function planBoundsOf(overrides: SlaOverrides): PlanBounds {
  const bounds: Partial<Record<SlaId, Partial<Record<Plan, number>>>> = {};
  for (const [key, value] of Object.entries(overrides)) {
    const [id, plan] = key.split('.') as [SlaId, Plan | undefined];
    if (plan !== undefined && value !== undefined) (bounds[id] ??= {})[plan] = value;
  }
  return bounds;
}

/** The bound that applies to one plan: its own where set, else the SLA's overall bound. */
export const boundFor = (sla: SlaBounds, byPlan: PlanBounds, id: SlaId, plan: string): number | undefined =>
  byPlan[id]?.[plan as Plan] ?? sla[id];

/**
 * The k6 variable of a plan's own bound: SLA_AGENT_MS_ENTERPRISE. Any SLA_* name that is neither an SLA's own
 * variable nor this pattern is a mistake (an unknown SLA or plan, a per-plan bound on a rate), and says so.
 */
export const planBoundEnv = (id: SlaId, plan: Plan): string => `${SLA_CATALOG[id].env}_${plan.toUpperCase()}`;

/** Why a plan's own bound cannot be set for (id, plan); undefined when it can. Shared by k6's config and `--sla`. */
export function planBoundProblem(id: string, plan: string): string | undefined {
  if (!isSlaId(id)) return `unknown SLA "${id}"; known: ${SLA_IDS.join(', ')}`;
  if (!PLANS.includes(plan as Plan)) return `unknown plan "${plan}"; plans: ${PLANS.join(', ')}`;
  if (SLA_CATALOG[id].kind !== 'latency') return `${id} is a rate SLA; only latency SLAs (${SLA_IDS.filter((x) => SLA_CATALOG[x].kind === 'latency').join(', ')}) take a bound per plan`;
  return undefined;
}

/** "99.9%" or "0.999" → 0.999; undefined unless it is above 0 and at most 100 %. */
export function parseRate(text: string): number | undefined {
  const trimmed = text.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
  const fraction = /^(0(?:\.\d+)?|1(?:\.0+)?)$/.test(trimmed) ? Number(trimmed) : undefined;
  const value = percent ? Number(percent[1]) / 100 : fraction;
  // Rounded so 99.9% is 0.999 and not 0.9990000000000001 in a threshold.
  return value !== undefined && value > 0 && value <= 1 ? Number(value.toFixed(8)) : undefined;
}

/** The k6 threshold for a bound: p(95)<30000, rate==1 (exact), rate>=0.99 (a budget: at least 99 %). */
export function thresholdExpression(kind: SlaDef['kind'], bound: number): string {
  if (kind === 'latency') return `p(95)<${bound}`;
  return bound >= 1 ? 'rate==1' : `rate>=${bound}`;
}

/** Whether a measured p95 (ms) or rate meets the bound, by the same rule as thresholdExpression. */
export function meetsBound(kind: SlaDef['kind'], bound: number, value: number): boolean {
  if (kind === 'latency') return value < bound;
  return bound >= 1 ? value === 1 : value >= bound;
}

/** How a reader sees a rate bound: "exact (100%)" or "budget ≥ 99%". */
export const rateBoundText = (bound: number): string => (bound >= 1 ? 'exact (100%)' : `≥ ${formatPercent(bound)}`);
