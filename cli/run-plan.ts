import { isAbsolute, join, resolve } from 'node:path';
import type { BundleEntry } from '../build/bundle.ts';
import { repoRoot } from '../build/paths.ts';
import type { ParsedCommand } from './option-table.ts';
import { parsePlanMix } from './plan-mix.ts';
import { PreflightError } from './preflight-error.ts';
import { maxSegments, runOptions } from './run-options.ts';
import { scenarioEntries } from './scenarios.ts';
import { parseSlaSpec, slaEnv } from './sla-spec.ts';
import type { SlaOverrides } from '../lib/sla-catalog.ts';
import { normalizeTargetUrl } from './target-health.ts';
import { isValidTestId, newTestId } from './testid.ts';
import { parseDurationMs } from '../lib/duration.ts';
import { checkExecArgs } from './exec-options.ts';
import { checkUserK6 } from './k6-launch.ts';
import { DIALECT_NAMES } from '../lib/dialects/index.ts';

export const tokenModes = ['header', 'subprotocol', 'query'] as const;

/** What the health check before the run asks of the backend. */
export interface HealthExpectation {
  dialect: string;
  /** PATH_HEALTH; undefined: no check (--no-health or HEALTH_CHECK=off). */
  path: string | undefined;
}

/** Everything a run needs, checked: building one throws a PreflightError before anything starts. */
export interface RunPlan {
  scenario: BundleEntry;
  profile: string;
  /** Your backend; undefined: start the embedded reference target. */
  target: string | undefined;
  /** The dialect (--dialect, else DIALECT); the embedded target speaks it too. */
  dialect: string;
  health: HealthExpectation;
  influx: string | undefined;
  testid: string;
  summaryDir: string;
  /** `-e NAME=value` pairs for k6, without BASE_URL (known only once the target runs). */
  env: Record<string, string>;
  k6Args: string[];
  /** Bounds from --sla (per plan too), for the joined report of a segmented run. */
  slaOverrides: SlaOverrides;
  /** Runs sharing the load (execution segments); 1 is a plain run. */
  segments: number;
  /** A k6 of the user's own (--k6 or K6_BIN) to run the bundle on; undefined: agent-sla's engine. */
  k6: string | undefined;
  quiet: boolean;
  json: boolean;
}

export const defaultProfile = 'smoke';
/** The profile `--rate` picks when no --profile is given; --rate applies to these only. */
export const rateProfile = 'rate';
const arrivalRateProfiles = ['rate', 'breakpoint'];

const positiveInteger = (option: string, text: string): string => {
  if (!/^[1-9]\d*$/.test(text)) throw new PreflightError(`bad --${option} "${text}": a whole number above 0`);
  return text;
};

export function resolveRunPlan(command: string, parsed: ParsedCommand, profiles: readonly string[]): RunPlan {
  const { values, positionals, passthrough } = parsed;
  const option = (name: keyof typeof runOptions): string | undefined => values[name] as string | undefined;
  const [scenarioName, ...extra] = positionals;
  const known = scenarioEntries();
  const knownNames = known.map((entry) => entry.name).join(', ');
  if (!scenarioName) throw new PreflightError(`which scenario? agent-sla ${command} <scenario>; scenarios: ${knownNames}`);
  if (extra.length > 0) throw new PreflightError(`unexpected argument "${extra[0]}"; k6's own arguments go after --`);
  const scenario = known.find((entry) => entry.name === scenarioName);
  if (!scenario) throw new PreflightError(`unknown scenario "${scenarioName}"; scenarios: ${knownNames}`);

  const rate = option('rate');
  const profile = option('profile') ?? (rate === undefined ? defaultProfile : rateProfile);
  if (profiles.length > 0 && !profiles.includes(profile)) {
    throw new PreflightError(`unknown profile "${profile}"; profiles: ${profiles.join(', ')}`);
  }
  const targetText = option('target');
  const target = targetText === undefined ? undefined : normalizeTargetUrl(targetText);
  if (targetText !== undefined && !target) throw new PreflightError(`bad --target "${targetText}": not an http(s) URL`);
  const influxText = option('influx');
  const influx = influxText === undefined ? undefined : normalizeTargetUrl(influxText);
  if (influxText !== undefined && !influx) throw new PreflightError(`bad --influx "${influxText}": not an http(s) URL`);

  const testidText = option('testid');
  if (testidText !== undefined && !isValidTestId(testidText)) {
    throw new PreflightError(`bad --testid "${testidText}": letters, digits, . _ - only`);
  }
  const testid = testidText ?? newTestId(scenario.name);
  const outDir = option('out-dir');
  const summaryDir = outDir === undefined ? join(repoRoot, 'reports', testid) : isAbsolute(outDir) ? outDir : resolve(outDir);

  const env: Record<string, string> = { [runOptions.profile.env]: profile, [runOptions['out-dir'].env]: summaryDir };
  const sla = option('sla');
  const slaOverrides = sla === undefined ? {} : parseSlaSpec(sla);
  Object.assign(env, slaEnv(slaOverrides));
  const segments = Number(positiveInteger('segments', option('segments') ?? '1'));
  if (segments > maxSegments) throw new PreflightError(`bad --segments "${segments}": at most ${maxSegments} k6 processes on one machine`);
  if (segments > 1 && !influx) throw new PreflightError('--segments above 1 needs --influx URL: the segments are joined in InfluxDB (agent-sla report)');
  const vus = option('vus');
  if (vus !== undefined) env[runOptions.vus.env] = positiveInteger('vus', vus);
  if (rate !== undefined) {
    if (!arrivalRateProfiles.includes(profile)) throw new PreflightError(`--rate applies to the arrival-rate profiles (${arrivalRateProfiles.join(', ')}), not ${profile}`);
    const perSecond = Number(rate);
    if (!/^\d+(\.\d+)?$/.test(rate) || !(perSecond > 0)) throw new PreflightError(`bad --rate "${rate}": sessions per second, a number above 0, e.g. 20 or 2.5`);
    env[runOptions.rate.env] = rate;
  }
  const iterations = option('iterations');
  if (iterations !== undefined) env[runOptions.iterations.env] = positiveInteger('iterations', iterations);
  const duration = option('duration');
  if (duration !== undefined) {
    const ms = parseDurationMs(duration);
    if (ms === undefined || ms <= 0) throw new PreflightError(`bad --duration "${duration}": e.g. 30s, 2m, 1m30s`);
    env[runOptions.duration.env] = duration;
  }
  const plans = option('plans');
  if (plans !== undefined) {
    parsePlanMix(plans);
    env[runOptions.plans.env] = plans;
  }
  const dialect = option('dialect') ?? process.env.DIALECT?.trim() ?? 'agent-sla';
  if (!DIALECT_NAMES.includes(dialect)) throw new PreflightError(`bad --dialect "${dialect}": ${DIALECT_NAMES.join(', ')}`);
  if (option('dialect') !== undefined) env[runOptions.dialect.env] = dialect;
  const healthOff = values['no-health'] === true || process.env.HEALTH_CHECK?.trim() === 'off';
  if (values['no-health'] === true) env.HEALTH_CHECK = 'off';
  // The embedded target issues its tokens through signup and login, whatever the dialect's usual auth.
  if (target === undefined && !process.env.AUTH_MODE) env.AUTH_MODE = 'signup';
  const health = { dialect, path: healthOff ? undefined : process.env.PATH_HEALTH?.trim() || '/health' };
  const tokenMode = option('token-mode');
  if (tokenMode !== undefined) {
    if (!tokenModes.includes(tokenMode as (typeof tokenModes)[number])) {
      throw new PreflightError(`bad --token-mode "${tokenMode}": ${tokenModes.join(' or ')}`);
    }
    env[runOptions['token-mode'].env] = tokenMode;
  }
  const k6Path = option('k6') ?? (process.env.K6_BIN?.trim() || undefined);
  // The flags after -- are k6 run's: read as the engine reads them, so that a bad one stops the run here.
  if (!k6Path) checkExecArgs([...passthrough, scenario.output], process.env, process.cwd(), 'the k6 flags after --');
  const arrivals = option('arrivals');
  if (arrivals !== undefined && arrivals !== 'even' && arrivals !== 'poisson') throw new PreflightError(`bad --arrivals "${arrivals}": even or poisson`);
  if (arrivals === 'poisson' && k6Path !== undefined) throw new PreflightError("--arrivals poisson needs agent-sla's engine; a k6 of your own (--k6, K6_BIN) spaces arrivals evenly");
  const engineArgs = arrivals === undefined || k6Path !== undefined ? [] : ['--arrivals', arrivals];
  return {
    k6: k6Path === undefined ? undefined : checkUserK6(k6Path),
    scenario,
    profile,
    target,
    dialect,
    health,
    influx,
    testid,
    summaryDir,
    env,
    k6Args: [...engineArgs, ...passthrough],
    slaOverrides,
    segments,
    quiet: values.quiet === true || values.json === true,
    json: values.json === true,
  };
}
