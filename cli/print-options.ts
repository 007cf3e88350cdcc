import { spawnSync } from 'node:child_process';
import { ensureK6 } from '../build/provision-k6.ts';
import { ENV_DEFAULTS } from '../lib/env-options.ts';
import { PreflightError } from './preflight-error.ts';
import type { RunPlan } from './run-plan.ts';
import { ensureBuilt } from './scenarios.ts';

/** The `-e NAME=value` pairs among the flags after `--`: the only ones `k6 inspect` shares with `k6 run`. */
function envFlags(passthrough: readonly string[]): string[] {
  return passthrough.flatMap((flag, index) => {
    if ((flag === '-e' || flag === '--env') && passthrough[index + 1] !== undefined) return ['-e', passthrough[index + 1]!];
    const joined = /^(?:-e|--env)=(.+)$/.exec(flag);
    return joined ? ['-e', joined[1]!] : [];
  });
}

/** Drops the options k6 left unset (null), so what remains is what the scenario set. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== null).map(([key, entry]) => [key, withoutNulls(entry)]));
}

/**
 * The k6 options a run of the plan would resolve (its scenarios and its thresholds by key), as
 * `k6 inspect` reads them from the bundle with the same `-e` variables, without sending any load.
 */
export async function resolvedOptions(plan: RunPlan): Promise<{ scenarios: unknown; thresholds: unknown }> {
  const k6 = await ensureK6({ quiet: true });
  await ensureBuilt(plan.scenario);
  const env = { ...plan.env, BASE_URL: plan.target ?? ENV_DEFAULTS.BASE_URL };
  // As `k6 run` does by default, the scenario also reads the environment (TOKEN, AUTH_MODE, …).
  const args = ['inspect', '--include-system-env-vars', ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]), ...envFlags(plan.k6Args), plan.scenario.output];
  const inspected = spawnSync(k6.path, args, { encoding: 'utf8', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' }, timeout: 60_000 });
  if (inspected.status !== 0) {
    // A bad variable: k6 prints the library's one-line "bad configuration: …" as its error.
    const reason = /msg="(bad configuration: (?:[^"\\]|\\.)*)"/.exec(inspected.stderr)?.[1]?.replace(/\\n$/, '').replace(/\\"/g, '"');
    throw new PreflightError(reason ?? `k6 inspect ${plan.scenario.name} failed: ${inspected.stderr.trim().split('\n').pop() ?? `exit ${inspected.status}`}`);
  }
  const options = JSON.parse(inspected.stdout) as { scenarios?: unknown; thresholds?: unknown };
  return { scenarios: withoutNulls(options.scenarios ?? {}), thresholds: withoutNulls(options.thresholds ?? {}) };
}
