import type { Threshold } from 'k6/options';
import type { Config } from './config.ts';
import { PROFILES } from './profiles.ts';

export type VerdictId = 'signup' | 'auth' | 'agent' | 'orchestration' | 'sequence' | 'billing' | 'runs' | 'refusals' | 'responses';

interface VerdictDef {
  title: string;
  metric: string;
  kind: 'latency' | 'rate';
  /** The metric carries the plan tag, so a per-plan breakdown exists. */
  byPlan: boolean;
}

/** PROTOCOL.md's SLA table plus the correctness checks, as data. Latency bounds come from the config. */
export const VERDICTS: Readonly<Record<VerdictId, VerdictDef>> = {
  signup: { title: 'signup', metric: 'signup_duration', kind: 'latency', byPlan: true },
  auth: { title: 'auth', metric: 'auth_duration', kind: 'latency', byPlan: true },
  agent: { title: 'agent response', metric: 'agent_response_duration', kind: 'latency', byPlan: true },
  orchestration: { title: 'orchestration', metric: 'orchestration_duration', kind: 'latency', byPlan: true },
  sequence: { title: 'event sequence well-formed', metric: 'agent_event_sequence_ok', kind: 'rate', byPlan: true },
  billing: { title: 'billed exactly once', metric: 'billing_reconciled', kind: 'rate', byPlan: true },
  runs: { title: 'agent runs completed', metric: 'agent_run_ok', kind: 'rate', byPlan: true },
  refusals: { title: 'bad tokens refused', metric: 'auth_refusal_ok', kind: 'rate', byPlan: false },
  responses: { title: 'responses as the contract says', metric: 'checks', kind: 'rate', byPlan: false },
};

export interface Breakdown {
  by: 'plan' | 'scenario';
  value: string;
  /** The sub-metric, e.g. agent_response_duration{plan:pro}. */
  metric: string;
}

/** One verdict of one scenario: a k6 threshold on the metric and on each breakdown sub-metric. */
export interface SlaRow {
  id: VerdictId;
  title: string;
  kind: 'latency' | 'rate';
  metric: string;
  expression: string;
  /** The latency bound in ms; undefined for rates. */
  boundMs: number | undefined;
  breakdown: Breakdown[];
}

function latencyBound(config: Config, id: VerdictId): number | undefined {
  switch (id) {
    case 'signup':
      return config.sla.signupMs;
    case 'auth':
      return config.sla.authMs;
    case 'agent':
      return config.sla.agentMs;
    case 'orchestration':
      return config.sla.orchestrationMs;
    default:
      return undefined;
  }
}

/**
 * The rows for the verdicts a scenario covers. Every breakdown is a real threshold with the
 * same bound (each plan and each k6 scenario must meet the SLA on its own), which is also how
 * handleSummary receives the per-plan and per-scenario figures: k6 hands it sub-metrics only
 * when a threshold names them.
 */
export function slaRows(config: Config, covers: readonly VerdictId[], scenarioNames: readonly string[]): SlaRow[] {
  const strict = PROFILES[config.profile].strictCorrectness;
  return covers.map((id) => {
    const def = VERDICTS[id];
    const boundMs = latencyBound(config, id);
    const expression = def.kind === 'latency' ? `p(95)<${boundMs}` : strict ? 'rate==1' : 'rate>0.99';
    const plans = def.byPlan ? config.plans.map(([plan]) => plan) : [];
    const breakdown: Breakdown[] = [
      ...scenarioNames.map((name) => ({ by: 'scenario' as const, value: name, metric: `${def.metric}{scenario:${name}}` })),
      ...plans.map((plan) => ({ by: 'plan' as const, value: plan, metric: `${def.metric}{plan:${plan}}` })),
    ];
    return { id, title: def.title, kind: def.kind, metric: def.metric, expression, boundMs, breakdown };
  });
}

/** k6 thresholds for the rows; profiles that abort (stress, breakpoint) wait delayAbortEval first. */
export function thresholdsFor(config: Config, rows: readonly SlaRow[]): Record<string, Threshold[]> {
  const profile = PROFILES[config.profile];
  const delay = `${Math.max(1, Math.round(profile.delayAbortSeconds * config.timeScale))}s`;
  const threshold = (expression: string): Threshold =>
    profile.abortOnFail ? { threshold: expression, abortOnFail: true, delayAbortEval: delay } : expression;
  const thresholds: Record<string, Threshold[]> = {};
  for (const row of rows) {
    thresholds[row.metric] = [threshold(row.expression)];
    for (const part of row.breakdown) thresholds[part.metric] = [threshold(row.expression)];
  }
  return thresholds;
}
