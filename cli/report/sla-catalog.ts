import { slaMetrics, type SlaName } from '../sla-spec.ts';

/** A latency SLA: the run's p(95) of a Trend (ms) must stay under a bound. */
export interface LatencySla {
  kind: 'latency';
  key: string;
  title: string;
  metric: string;
  /** p(95) must be strictly below this, ms. */
  p95BelowMs: number;
}

/** A correctness SLA: the share of true samples of a Rate must reach a bound. */
export interface RateSla {
  kind: 'rate';
  key: string;
  title: string;
  metric: string;
  /** The rate must be strictly above this. */
  rateAbove: number;
}

export type Sla = LatencySla | RateSla;

const latencyDefaults: Record<SlaName, { title: string; ms: number }> = {
  signup: { title: 'signup', ms: 10_000 },
  auth: { title: 'auth', ms: 5_000 },
  agent: { title: 'agent response', ms: 30_000 },
  orchestration: { title: 'orchestration', ms: 45_000 },
};

export interface SlaOverrides {
  /** p95 bounds in ms by SLA name (the names `--sla` takes). */
  latencyMs?: Partial<Record<SlaName, number>>;
  /** Bound for the correctness rates; PROTOCOL.md: > 0.99 under stress. */
  rateAbove?: number;
}

/** The SLAs of PROTOCOL.md ("SLAs"), with the caller's overrides. */
export function slaCatalog(overrides: SlaOverrides = {}): Sla[] {
  const latency: Sla[] = (Object.keys(slaMetrics) as SlaName[]).map((name) => ({
    kind: 'latency',
    key: name,
    title: latencyDefaults[name].title,
    metric: slaMetrics[name],
    p95BelowMs: overrides.latencyMs?.[name] ?? latencyDefaults[name].ms,
  }));
  const rateAbove = overrides.rateAbove ?? 0.99;
  return [
    ...latency,
    { kind: 'rate', key: 'event_sequence', title: 'event sequence', metric: 'agent_event_sequence_ok', rateAbove },
    { kind: 'rate', key: 'billing', title: 'billing reconciled', metric: 'billing_reconciled', rateAbove },
  ];
}
