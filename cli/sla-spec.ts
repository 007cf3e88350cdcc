import { SLA_ENV_NAMES } from '../lib/env-options.ts';
import { parseDurationMs } from '../lib/duration.ts';
import { formatPercent } from '../lib/format.ts';
import { isSlaId, parseRate, planBoundEnv, planBoundProblem, SLA_CATALOG, SLA_IDS, type SlaId, type SlaKey, type SlaOverrides } from '../lib/sla-catalog.ts';
import type { Plan } from '../lib/protocol/index.ts';
import { PreflightError } from './preflight-error.ts';

export type SlaName = SlaId;

/** One line for `--help`: what `--sla` takes. */
export const slaOptionHelp =
  `move SLAs: a p(95) bound for ${SLA_IDS.filter((id) => SLA_CATALOG[id].kind === 'latency').join(', ')} (e.g. agent=30s; ttft and itl are judged only when set), ` +
  `also for one plan (agent.enterprise=15s); ` +
  `the least share for ${SLA_IDS.filter((id) => SLA_CATALOG[id].kind === 'rate').join(', ')} (e.g. runs=99.9%, billing=99.9% to loosen an exact one)`;

/**
 * `agent=30s,agent.enterprise=15s,billing=99.9%` → { agent: 30000, 'agent.enterprise': 15000, billing: 0.999 }:
 * a p95 bound in ms for a latency SLA (overall or one plan's), the least share 0..1 for a rate; one-line error otherwise.
 */
export function parseSlaSpec(text: string): SlaOverrides {
  const result: SlaOverrides = {};
  for (const item of text.split(',').map((part) => part.trim())) {
    const [key, value, extra] = item.split('=');
    if (!key || value === undefined || extra !== undefined) {
      throw new PreflightError(`bad --sla "${text}": each item is name=duration or name=percent, e.g. agent=30s,agent.enterprise=15s,runs=99.9%`);
    }
    const [name, plan, more] = key.split('.') as [string, string | undefined, string | undefined];
    if (more !== undefined) throw new PreflightError(`bad --sla: "${key}" is not an SLA or SLA.plan (e.g. agent.enterprise)`);
    if (plan !== undefined) {
      const problem = planBoundProblem(name, plan);
      if (problem) throw new PreflightError(`bad --sla: ${key}: ${problem}`);
    }
    if (!isSlaId(name)) throw new PreflightError(`bad --sla: unknown SLA "${name}"; known: ${SLA_IDS.join(', ')}`);
    const latency = SLA_CATALOG[name].kind === 'latency';
    const bound = latency ? parseDurationMs(value) : parseRate(value);
    if (bound === undefined) {
      throw new PreflightError(latency
        ? `bad --sla: "${value}" for ${name} is not a positive duration (e.g. 500ms, 30s, 1m)`
        : `bad --sla: "${value}" for ${name} is not a share above 0 and at most 100% (e.g. 99.9%)`);
    }
    result[key as SlaKey] = bound;
  }
  return result;
}

/** The k6 `-e` variables for the bounds: SLA_AGENT_MS=30000, SLA_AGENT_MS_ENTERPRISE=15000, SLA_BILLING_RATE=99.9%. */
export function slaEnv(overrides: SlaOverrides): Record<string, string> {
  return Object.fromEntries(
    (Object.entries(overrides) as [SlaKey, number][]).map(([key, bound]) => {
      const [name, plan] = key.split('.') as [SlaId, Plan | undefined];
      const env = plan === undefined ? SLA_ENV_NAMES[name] : planBoundEnv(name, plan);
      return [env, SLA_CATALOG[name].kind === 'latency' ? String(bound) : formatPercent(bound)];
    }),
  );
}
