import { SLA_ENV_NAMES } from '../lib/env-options.ts';
import { parseDurationMs } from './duration.ts';
import { PreflightError } from './preflight-error.ts';

/** The SLAs `--sla` can move, with the metric each one's p(95) threshold is on (PROTOCOL.md, "SLAs"). */
export const slaMetrics = {
  signup: 'signup_duration',
  auth: 'auth_duration',
  agent: 'agent_response_duration',
  orchestration: 'orchestration_duration',
} as const;

export type SlaName = keyof typeof slaMetrics;

/** `agent=30s,signup=10s` → { agent: 30000, signup: 10000 } (p95 bounds in ms); one-line error otherwise. */
export function parseSlaSpec(text: string): Partial<Record<SlaName, number>> {
  const result: Partial<Record<SlaName, number>> = {};
  const names = Object.keys(slaMetrics).join(', ');
  for (const item of text.split(',').map((part) => part.trim())) {
    const [name, value, extra] = item.split('=');
    if (!name || value === undefined || extra !== undefined) {
      throw new PreflightError(`bad --sla "${text}": each item is name=duration, e.g. agent=30s,signup=10s`);
    }
    if (!(name in slaMetrics)) throw new PreflightError(`bad --sla: unknown SLA "${name}"; known: ${names}`);
    const ms = parseDurationMs(value);
    if (ms === undefined || ms <= 0) {
      throw new PreflightError(`bad --sla: "${value}" for ${name} is not a positive duration (e.g. 500ms, 30s, 1m)`);
    }
    result[name as SlaName] = ms;
  }
  return result;
}

export function slaEnv(overrides: Partial<Record<SlaName, number>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(overrides).map(([name, ms]) => [SLA_ENV_NAMES[name as SlaName], String(ms)]),
  );
}
