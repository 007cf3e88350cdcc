import { ENV_DEFAULTS } from '../lib/env-options.ts';
import { inspectScript } from '../engine/run/inspect-script.ts';
import { prepareScript, ScriptError } from '../engine/script/prepare-script.ts';
import { PreflightError } from './preflight-error.ts';
import type { RunPlan } from './run-plan.ts';
import { ensureBuilt } from './scenarios.ts';

/** The `-e NAME=value` pairs among the flags after `--`, as `k6 run` would read them. */
function envFlags(passthrough: readonly string[]): Record<string, string> {
  const pairs = passthrough.flatMap((flag, index) => {
    if ((flag === '-e' || flag === '--env') && passthrough[index + 1] !== undefined) return [passthrough[index + 1]!];
    const joined = /^(?:-e|--env)=(.+)$/.exec(flag);
    return joined ? [joined[1]!] : [];
  });
  return Object.fromEntries(pairs.filter((pair) => pair.includes('=')).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/**
 * The options a run of the plan would use (its scenarios and its thresholds by key), read by evaluating the
 * bundle's init code once with the same variables, as the engine does before any VU starts, without sending any
 * load. A bad variable is the library's own one-line "bad configuration: …".
 */
export async function resolvedOptions(plan: RunPlan): Promise<{ scenarios: unknown; thresholds: unknown }> {
  await ensureBuilt(plan.scenario);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  Object.assign(env, plan.env, { BASE_URL: plan.target ?? ENV_DEFAULTS.BASE_URL }, envFlags(plan.k6Args));
  let options: unknown;
  try {
    const script = await prepareScript(plan.scenario.output);
    options = (await inspectScript(script, env, () => {})).options;
  } catch (error) {
    if (error instanceof ScriptError) throw new PreflightError(`${plan.scenario.name}: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    const reason = /bad configuration: [^\n]*/.exec(message)?.[0];
    throw new PreflightError(reason ?? `${plan.scenario.name}: its init code failed: ${message.split('\n')[0]}`);
  }
  const { scenarios, thresholds } = (options ?? {}) as { scenarios?: unknown; thresholds?: unknown };
  return { scenarios: scenarios ?? {}, thresholds: thresholds ?? {} };
}
