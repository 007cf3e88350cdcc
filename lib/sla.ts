import type { Threshold } from 'k6/options';
import type { Config } from './config.ts';
import { parseDurationMs } from './duration.ts';
import { profiles } from './profiles.ts';
import { boundFor, SLA_CATALOG, thresholdExpression, type SlaId } from './sla-catalog.ts';

/** The verdicts a scenario covers; a verdict its backend cannot measure is left out, and is then simply absent. */
export type VerdictId = SlaId;

export interface Breakdown {
  by: 'plan' | 'scenario';
  value: string;
  /** The sub-metric, e.g. agent_response_duration{plan:pro}. */
  metric: string;
  /** The threshold of this sub-metric: the row's, or the plan's own (SLA_AGENT_MS_ENTERPRISE). */
  expression: string;
  bound: number;
  /** The plan has its own bound, apart from the SLA's overall one. */
  ownBound: boolean;
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
  /** The least share of passes for a rate (1: exact); undefined for latencies. */
  minRate: number | undefined;
  breakdown: Breakdown[];
}

/**
 * The rows for the verdicts a scenario covers, each with the bound that applies (the catalogue's
 * default or its SLA_* override). Every breakdown is a real threshold (each plan and each k6 scenario must
 * meet the SLA on its own), which is also how handleSummary receives the per-plan and per-scenario figures:
 * k6 hands it sub-metrics only when a threshold names them. A plan's threshold uses its own bound where one
 * is set (SLA_AGENT_MS_ENTERPRISE), the overall bound otherwise. An optional SLA (ttft, itl) without a bound
 * has no row at all.
 */
export function slaRows(config: Config, covers: readonly VerdictId[], scenarioNames: readonly string[]): SlaRow[] {
  return covers.flatMap((id): SlaRow[] => {
    const def = SLA_CATALOG[id];
    const bound = config.sla[id];
    if (bound === undefined) return [];
    const expression = thresholdExpression(def.kind, bound);
    const plans = def.byPlan ? config.plans.map(([plan]) => plan) : [];
    const breakdown: Breakdown[] = [
      ...scenarioNames.map((name) => ({ by: 'scenario' as const, value: name, metric: `${def.metric}{scenario:${name}}`, expression, bound, ownBound: false })),
      ...plans.map((plan) => {
        const own = boundFor(config.sla, config.slaByPlan, id, plan)!;
        return { by: 'plan' as const, value: plan, metric: `${def.metric}{plan:${plan}}`, expression: thresholdExpression(def.kind, own), bound: own, ownBound: config.slaByPlan[id]?.[plan] !== undefined };
      }),
    ];
    return [{
      id, title: def.title, kind: def.kind, metric: def.metric, expression,
      boundMs: def.kind === 'latency' ? bound : undefined, minRate: def.kind === 'rate' ? bound : undefined, breakdown,
    }];
  });
}

/** k6 thresholds for the rows; profiles that abort (stress, breakpoint) wait for abortAfter (scaled by TIME_SCALE) of data first. */
export function thresholdsFor(config: Config, rows: readonly SlaRow[]): Record<string, Threshold[]> {
  const abortAfter = profiles()[config.profile].abortAfter;
  const delay = abortAfter === undefined ? undefined : `${Math.max(1, Math.round(((parseDurationMs(abortAfter) ?? 0) * config.timeScale) / 1000))}s`;
  const threshold = (expression: string): Threshold =>
    delay === undefined ? expression : { threshold: expression, abortOnFail: true, delayAbortEval: delay };
  const thresholds: Record<string, Threshold[]> = {};
  for (const row of rows) {
    thresholds[row.metric] = [threshold(row.expression)];
    for (const part of row.breakdown) thresholds[part.metric] = [threshold(part.expression)];
  }
  return thresholds;
}
