import { CONTRACT_VERSION } from '../protocol/index.ts';
import type { SlaRow } from '../sla.ts';

/** The part of k6's handleSummary data this module reads (k6's default, "legacy" data shape). */
export interface SummaryData {
  metrics: Record<string, { type: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> } | undefined>;
  root_group: SummaryGroup;
  state: { testRunDurationMs: number };
}
interface SummaryGroup {
  name: string;
  checks: Array<{ name: string; passes: number; fails: number }>;
  groups: SummaryGroup[];
}

/**
 * What a verdict came to. k6 passes a threshold that has no samples, so a verdict without samples is
 * "not_measured", never "pass"; "fail" is k6's own verdict, so the reports agree with its exit code.
 */
export type VerdictStatus = 'pass' | 'fail' | 'not_measured';

/** Measured figures of one metric or sub-metric; null where the kind has no such figure. */
export interface Measured {
  count: number;
  p95: number | null;
  p99: number | null;
  rate: number | null;
  /** False only when k6 failed the threshold (status "fail"). */
  ok: boolean;
  status: VerdictStatus;
}

/** A per-scenario or per-plan row: its figures and the bound that applied to it. */
export interface BreakdownResult extends Measured {
  threshold: string;
  bound_ms: number | null;
  min_rate: number | null;
  /** The plan has its own bound (SLA_AGENT_MS_ENTERPRISE, --sla agent.enterprise=15s), not the SLA's overall one. */
  own_bound: boolean;
}

export interface SlaResult extends Measured {
  id: string;
  name: string;
  kind: 'latency' | 'rate';
  metric: string;
  threshold: string;
  bound_ms: number | null;
  /** The least share of passes that applied to a rate (1: exact); null for latencies. */
  min_rate: number | null;
  breakdown: { scenario: Record<string, BreakdownResult>; plan: Record<string, BreakdownResult> };
  /**
   * k6's verdict on the metric's own threshold alone, without the breakdown: the "all" row of the table and JUnit.
   * `status` is the SLA's as a whole; with a plan's own bound, a plan can fail while the overall holds.
   */
  overall_status: VerdictStatus;
}

/** sla-summary.json; the schema is docs/sla-summary-schema.md. */
export interface SlaSummary {
  schema: 'agent-sla/sla-summary/1';
  scenario: string;
  profile: string;
  contract: string;
  passed: boolean;
  test_run_duration_ms: number;
  slas: SlaResult[];
  checks: Array<{ name: string; passes: number; fails: number }>;
  /**
   * Iterations k6 completed. A run with none, or in which no verdict had a sample, never passes,
   * although k6 itself passes thresholds without samples (and exits 0).
   */
  iterations: number;
  runs: { completed: number; failed: number; goodput: number };
  /**
   * Goodput: completed, well-formed runs that met every latency SLA set, per second of the test (vLLM, DistServe);
   * null when the scenario runs no agents.
   */
  goodput_per_s: number | null;
  /** Completed runs per second, for scale; null when the scenario runs no agents. */
  completed_per_s: number | null;
}

export const SUMMARY_SCHEMA = 'agent-sla/sla-summary/1';

const round = (value: number | undefined): number | null => (value === undefined || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000);

/** The figures and k6's own verdict for one (sub-)metric under one threshold; figures are null without samples. */
const measure = (data: SummaryData, metric: string, row: SlaRow, expression: string): Measured => {
  const entry = data.metrics[metric];
  const values = entry?.values ?? {};
  const latency = row.kind === 'latency';
  const count = latency ? values.count ?? 0 : (values.passes ?? 0) + (values.fails ?? 0);
  const status: VerdictStatus = entry?.thresholds?.[expression]?.ok === false ? 'fail' : count === 0 ? 'not_measured' : 'pass';
  const figure = (value: number | undefined): number | null => (count > 0 ? round(value) : null);
  return {
    count,
    p95: latency ? figure(values['p(95)']) : null,
    p99: latency ? figure(values['p(99)']) : null,
    rate: latency ? null : figure(values.rate),
    ok: status !== 'fail',
    status,
  };
};

const flattenChecks = (group: SummaryGroup, into: SlaSummary['checks']): SlaSummary['checks'] => {
  for (const item of group.checks) {
    const known = into.find((entry) => entry.name === item.name);
    if (known) {
      known.passes += item.passes;
      known.fails += item.fails;
    } else into.push({ name: item.name, passes: item.passes, fails: item.fails });
  }
  for (const child of group.groups) flattenChecks(child, into);
  return into;
};

/** Goodput and completions per second of the test; null for a scenario that ran no agent (neither metric has a sample). */
const perSecond = (data: SummaryData): Pick<SlaSummary, 'goodput_per_s' | 'completed_per_s'> => {
  const seconds = data.state.testRunDurationMs / 1000;
  const ran = data.metrics.agent_runs_completed !== undefined || data.metrics.agent_runs_failed !== undefined;
  if (!ran || !(seconds > 0)) return { goodput_per_s: null, completed_per_s: null };
  // k6's own Counter rate: count ÷ test duration. A counter with no sample is absent from the data, so 0.
  const rate = (name: string): number => round(data.metrics[name]?.values.rate) ?? 0;
  return { goodput_per_s: rate('agent_goodput_runs'), completed_per_s: rate('agent_runs_completed') };
};

export const buildSummary = (data: SummaryData, meta: { scenario: string; profile: string }, rows: readonly SlaRow[]): SlaSummary => {
  const slas = rows.map((row): SlaResult => {
    const breakdown: SlaResult['breakdown'] = { scenario: {}, plan: {} };
    for (const part of row.breakdown) {
      breakdown[part.by][part.value] = {
        ...measure(data, part.metric, row, part.expression), threshold: part.expression,
        bound_ms: row.kind === 'latency' ? part.bound : null, min_rate: row.kind === 'rate' ? part.bound : null, own_bound: part.ownBound,
      };
    }
    const overall = measure(data, row.metric, row, row.expression);
    const ok = overall.ok && row.breakdown.every((part) => breakdown[part.by][part.value]!.ok);
    return {
      id: row.id, name: row.title, kind: row.kind, metric: row.metric, threshold: row.expression,
      bound_ms: row.boundMs ?? null, min_rate: row.minRate ?? null,
      ...overall, ok, status: ok ? overall.status : 'fail', breakdown, overall_status: overall.status,
    };
  });
  const iterations = data.metrics.iterations?.values.count ?? 0;
  const measured = slas.some((sla) => sla.count > 0);
  return {
    schema: SUMMARY_SCHEMA,
    scenario: meta.scenario,
    profile: meta.profile,
    contract: CONTRACT_VERSION,
    passed: iterations > 0 && measured && slas.every((sla) => sla.ok),
    test_run_duration_ms: Math.round(data.state.testRunDurationMs),
    slas,
    checks: flattenChecks(data.root_group, []),
    iterations,
    runs: { completed: data.metrics.agent_runs_completed?.values.count ?? 0, failed: data.metrics.agent_runs_failed?.values.count ?? 0, goodput: data.metrics.agent_goodput_runs?.values.count ?? 0 },
    ...perSecond(data),
  };
};
