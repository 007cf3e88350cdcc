/**
 * Parts of the VU hot path that a bench build of a bundle can turn off, to show what each costs
 * (bench/k6-overhead.ts builds with esbuild `define: { AGENT_SLA_BENCH_OFF: '"samples,checks"' }`).
 * Production bundles never define it, so everything stays on there. Pure: no k6, no Node.
 */
declare const AGENT_SLA_BENCH_OFF: string | undefined;

const off: readonly string[] = typeof AGENT_SLA_BENCH_OFF === 'string' ? AGENT_SLA_BENCH_OFF.split(',') : [];

export const BENCH_SWITCHES = ['validation', 'samples', 'checks', 'plan-tags'] as const;
export type BenchSwitch = (typeof BENCH_SWITCHES)[number];

/** validation: the dialect's rules; samples: per-event latency samples; checks: per-run check(); plan-tags: the plan tag. */
export const benchOff: Readonly<Record<BenchSwitch, boolean>> = {
  validation: off.includes('validation'),
  samples: off.includes('samples'),
  checks: off.includes('checks'),
  'plan-tags': off.includes('plan-tags'),
};
