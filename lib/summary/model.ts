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

/** Measured figures of one metric or sub-metric; null where the kind has no such figure. */
export interface Measured {
  count: number;
  p95: number | null;
  p99: number | null;
  rate: number | null;
  ok: boolean;
}

export interface SlaResult extends Measured {
  id: string;
  name: string;
  kind: 'latency' | 'rate';
  metric: string;
  threshold: string;
  bound_ms: number | null;
  breakdown: { scenario: Record<string, Measured>; plan: Record<string, Measured> };
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
  /** Iterations k6 completed; a run with none never passes, whatever the thresholds say. */
  iterations: number;
  runs: { completed: number; failed: number };
}

export const SUMMARY_SCHEMA = 'agent-sla/sla-summary/1';

const round = (value: number | undefined): number | null => (value === undefined || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000);

/**
 * The figures and k6's own verdict for one (sub-)metric; figures are null without samples.
 * The verdict is always k6's, so the reports agree with k6's exit code.
 */
function measure(data: SummaryData, metric: string, row: SlaRow): Measured {
  const entry = data.metrics[metric];
  const values = entry?.values ?? {};
  const verdict = entry?.thresholds?.[row.expression]?.ok;
  const ok = verdict ?? row.kind === 'latency';
  if (row.kind === 'latency') {
    const count = values.count ?? 0;
    return { count, p95: count > 0 ? round(values['p(95)']) : null, p99: count > 0 ? round(values['p(99)']) : null, rate: null, ok };
  }
  const count = (values.passes ?? 0) + (values.fails ?? 0);
  return { count, p95: null, p99: null, rate: count > 0 ? round(values.rate) : null, ok };
}

function flattenChecks(group: SummaryGroup, into: SlaSummary['checks']): SlaSummary['checks'] {
  for (const item of group.checks) {
    const known = into.find((entry) => entry.name === item.name);
    if (known) {
      known.passes += item.passes;
      known.fails += item.fails;
    } else into.push({ name: item.name, passes: item.passes, fails: item.fails });
  }
  for (const child of group.groups) flattenChecks(child, into);
  return into;
}

export function buildSummary(data: SummaryData, meta: { scenario: string; profile: string }, rows: readonly SlaRow[]): SlaSummary {
  const slas = rows.map((row): SlaResult => {
    const breakdown: SlaResult['breakdown'] = { scenario: {}, plan: {} };
    for (const part of row.breakdown) breakdown[part.by][part.value] = measure(data, part.metric, row);
    const overall = measure(data, row.metric, row);
    const partsOk = row.breakdown.every((part) => breakdown[part.by][part.value]!.ok);
    return {
      id: row.id, name: row.title, kind: row.kind, metric: row.metric, threshold: row.expression, bound_ms: row.boundMs ?? null,
      ...overall, ok: overall.ok && partsOk, breakdown,
    };
  });
  const iterations = data.metrics.iterations?.values.count ?? 0;
  return {
    schema: SUMMARY_SCHEMA,
    scenario: meta.scenario,
    profile: meta.profile,
    contract: CONTRACT_VERSION,
    passed: iterations > 0 && slas.every((sla) => sla.ok),
    test_run_duration_ms: Math.round(data.state.testRunDurationMs),
    slas,
    checks: flattenChecks(data.root_group, []),
    iterations,
    runs: { completed: data.metrics.agent_runs_completed?.values.count ?? 0, failed: data.metrics.agent_runs_failed?.values.count ?? 0 },
  };
}
