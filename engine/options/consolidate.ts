import { ALL_SYSTEM_TAGS } from './defaults.ts';
import { defaultTestOptions } from './defaults.ts';
import { parseDuration } from './duration.ts';
import { scenarioConfig } from './scenario-config.ts';
import type { ScenarioOptions, TestOptions, ThresholdSource } from './test-options.ts';

/** Bad options: one problem per line, in k6's words. k6 exits 104 for these. */
export class OptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`There were problems with the specified script configuration: ${problems.join('; ')}`);
    this.name = 'OptionsError';
  }
}

/** The execution options one tier (script, environment, flags) may set. */
export interface ExecutionTier {
  vus?: number;
  duration?: string;
  iterations?: number;
  stages?: Array<{ duration: string; target: number }>;
  scenarios?: Record<string, unknown>;
}

/** The flags and environment that sit above the script's options, highest last. */
export interface Overrides {
  tiers: ExecutionTier[];
  tags?: Record<string, string>;
  systemTags?: string[];
  summaryTrendStats?: string[];
  noSetup?: boolean;
  noTeardown?: boolean;
}

const TREND_STAT = /^(avg|min|med|max|count|p\((\d+(\.\d+)?)\))$/;

/**
 * The script's `options` merged with the environment and the flags, as k6 consolidates them: a tier that sets any of
 * `duration`, `iterations`, `stages` or `scenarios` replaces all four from the tiers below it, `vus` merges on its
 * own, and the shortcuts then become one scenario named `default`. Throws OptionsError with every problem found.
 */
export function consolidateOptions(script: unknown, overrides: Overrides): { options: TestOptions; warnings: string[] } {
  const raw = (typeof script === 'object' && script !== null ? script : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const warnings: string[] = [];
  const options = defaultTestOptions();
  options.raw = raw;

  let execution = executionOf(raw, problems);
  for (const tier of overrides.tiers) execution = applyTier(execution, tier);
  options.scenarios = scenariosOf(execution, problems, warnings);

  options.thresholds = thresholdsOf(raw.thresholds, problems);
  options.tags = { ...stringRecord(raw.tags, 'tags', problems), ...overrides.tags };
  options.systemTags = overrides.systemTags ?? stringList(raw.systemTags, 'systemTags', problems) ?? options.systemTags;
  for (const tag of options.systemTags) if (!ALL_SYSTEM_TAGS.includes(tag)) problems.push(`systemTags: unknown system tag "${tag}"`);
  options.summaryTrendStats = overrides.summaryTrendStats ?? stringList(raw.summaryTrendStats, 'summaryTrendStats', problems) ?? options.summaryTrendStats;
  for (const stat of options.summaryTrendStats) if (!TREND_STAT.test(stat)) problems.push(`summaryTrendStats: stat '${stat}' is not a valid trend stat`);
  if (raw.summaryTimeUnit !== undefined) {
    if (raw.summaryTimeUnit === 's' || raw.summaryTimeUnit === 'ms' || raw.summaryTimeUnit === 'us') options.summaryTimeUnit = raw.summaryTimeUnit;
    else problems.push(`summaryTimeUnit: "${String(raw.summaryTimeUnit)}" is not one of s, ms, us`);
  }
  options.setupTimeoutMs = durationOption(raw.setupTimeout, 'setupTimeout', options.setupTimeoutMs, problems);
  options.teardownTimeoutMs = durationOption(raw.teardownTimeout, 'teardownTimeout', options.teardownTimeoutMs, problems);
  options.noSetup = overrides.noSetup ?? raw.noSetup === true;
  options.noTeardown = overrides.noTeardown ?? raw.noTeardown === true;
  options.noConnectionReuse = raw.noConnectionReuse === true;
  options.noVUConnectionReuse = raw.noVUConnectionReuse === true;
  options.insecureSkipTLSVerify = raw.insecureSkipTLSVerify === true;
  options.discardResponseBodies = raw.discardResponseBodies === true;
  options.throw = raw.throw === true;
  if (typeof raw.userAgent === 'string') options.userAgent = raw.userAgent;
  if (typeof raw.maxRedirects === 'number') options.maxRedirects = raw.maxRedirects;
  if (typeof raw.batch === 'number') options.batch = raw.batch;
  if (typeof raw.batchPerHost === 'number') options.batchPerHost = raw.batchPerHost;
  options.hosts = stringRecord(raw.hosts, 'hosts', problems);

  if (problems.length > 0) throw new OptionsError(problems);
  return { options, warnings };
}

function executionOf(raw: Record<string, unknown>, problems: string[]): ExecutionTier {
  const tier: ExecutionTier = {};
  if (raw.vus !== undefined && raw.vus !== null) {
    if (typeof raw.vus !== 'number' || !Number.isInteger(raw.vus) || raw.vus < 0) problems.push(`vus must be a non-negative integer, not ${JSON.stringify(raw.vus)}`);
    else tier.vus = raw.vus;
  }
  if (raw.duration !== undefined && raw.duration !== null) tier.duration = String(raw.duration);
  if (raw.iterations !== undefined && raw.iterations !== null) {
    if (typeof raw.iterations !== 'number' || !Number.isInteger(raw.iterations)) problems.push(`iterations must be an integer, not ${JSON.stringify(raw.iterations)}`);
    else tier.iterations = raw.iterations;
  }
  if (raw.stages !== undefined && raw.stages !== null) {
    if (!Array.isArray(raw.stages)) problems.push('stages must be an array of { duration, target }');
    else tier.stages = raw.stages as ExecutionTier['stages'];
  }
  if (raw.scenarios !== undefined && raw.scenarios !== null) {
    if (typeof raw.scenarios !== 'object' || Array.isArray(raw.scenarios)) problems.push('scenarios must be an object of scenarios by name');
    else tier.scenarios = raw.scenarios as Record<string, unknown>;
  }
  return tier;
}

function applyTier(lower: ExecutionTier, higher: ExecutionTier): ExecutionTier {
  const replaces = higher.duration !== undefined || higher.iterations !== undefined || higher.stages !== undefined || higher.scenarios !== undefined;
  const base: ExecutionTier = replaces ? (lower.vus === undefined ? {} : { vus: lower.vus }) : { ...lower };
  return { ...base, ...stripUndefined(higher) };
}

function stripUndefined(tier: ExecutionTier): ExecutionTier {
  return Object.fromEntries(Object.entries(tier).filter(([, value]) => value !== undefined)) as ExecutionTier;
}

function scenariosOf(execution: ExecutionTier, problems: string[], warnings: string[]): Record<string, ScenarioOptions> {
  const shortcut = (raw: Record<string, unknown>): Record<string, ScenarioOptions> => {
    const config = scenarioConfig('default', raw, problems);
    return config ? { default: config } : {};
  };
  const vus = execution.vus;
  const withVus = (raw: Record<string, unknown>): Record<string, unknown> => (vus === undefined ? raw : { ...raw, [raw.executor === 'ramping-vus' ? 'startVUs' : 'vus']: vus });
  if (execution.iterations !== undefined) {
    if (execution.stages && execution.stages.length > 0) problems.push('using multiple execution config shortcuts (`iterations` and `stages`) simultaneously is not allowed');
    if (execution.scenarios !== undefined) problems.push('using an execution configuration shortcut (`iterations`) and `scenarios` simultaneously is not allowed');
    return shortcut(withVus({ executor: 'shared-iterations', iterations: execution.iterations, ...(execution.duration !== undefined ? { maxDuration: execution.duration } : {}) }));
  }
  if (execution.duration !== undefined) {
    if (execution.stages && execution.stages.length > 0) problems.push('using multiple execution config shortcuts (`duration` and `stages`) simultaneously is not allowed');
    if (execution.scenarios !== undefined) problems.push('using an execution configuration shortcut (`duration`) and `scenarios` simultaneously is not allowed');
    const ms = parseDuration(execution.duration);
    if (ms === undefined) {
      problems.push(`duration: "${execution.duration}" is not a valid duration`);
      return {};
    }
    if (ms <= 0) problems.push('`duration` should be more than 0, for infinite duration use the externally-controlled executor');
    return shortcut(withVus({ executor: 'constant-vus', duration: execution.duration }));
  }
  if (execution.stages && execution.stages.length > 0) {
    if (execution.scenarios !== undefined) problems.push('using an execution configuration shortcut (`stages`) and `scenarios` simultaneously is not allowed');
    return shortcut(withVus({ executor: 'ramping-vus', stages: execution.stages }));
  }
  if (execution.scenarios && Object.keys(execution.scenarios).length > 0) {
    const scenarios: Record<string, ScenarioOptions> = {};
    for (const [name, raw] of Object.entries(execution.scenarios)) {
      const config = scenarioConfig(name, raw, problems);
      if (config) scenarios[name] = config;
    }
    return scenarios;
  }
  if (vus !== undefined && vus !== 1) warnings.push(`the \`vus=${vus}\` option will be ignored, it only works in conjunction with \`iterations\`, \`duration\`, or \`stages\``);
  return shortcut({ executor: 'per-vu-iterations' });
}

function thresholdsOf(raw: unknown, problems: string[]): Record<string, ThresholdSource[]> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('thresholds must be an object of threshold lists by metric');
    return {};
  }
  const result: Record<string, ThresholdSource[]> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const list = Array.isArray(value) ? value : [value];
    result[key] = [];
    for (const entry of list) {
      if (typeof entry === 'string') {
        result[key].push({ threshold: entry, abortOnFail: false, delayAbortEvalMs: 0 });
      } else if (typeof entry === 'object' && entry !== null && typeof (entry as { threshold?: unknown }).threshold === 'string') {
        const object = entry as { threshold: string; abortOnFail?: unknown; delayAbortEval?: unknown };
        const delay = object.delayAbortEval === undefined ? 0 : parseDuration(object.delayAbortEval);
        if (delay === undefined) problems.push(`thresholds ${key}: delayAbortEval ${JSON.stringify(object.delayAbortEval)} is not a valid duration`);
        result[key].push({ threshold: object.threshold, abortOnFail: object.abortOnFail === true, delayAbortEvalMs: delay ?? 0 });
      } else {
        problems.push(`thresholds ${key}: ${JSON.stringify(entry)} is neither a threshold expression nor { threshold, abortOnFail, delayAbortEval }`);
      }
    }
  }
  return result;
}

function stringRecord(raw: unknown, name: string, problems: string[]): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${name} must be an object of strings`);
    return {};
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string') result[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') result[key] = String(value);
    else problems.push(`${name}.${key} must be a string`);
  }
  return result;
}

function stringList(raw: unknown, name: string, problems: string[]): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((entry) => typeof entry !== 'string')) {
    problems.push(`${name} must be an array of strings`);
    return undefined;
  }
  return raw as string[];
}

function durationOption(raw: unknown, name: string, fallback: number, problems: string[]): number {
  if (raw === undefined || raw === null) return fallback;
  const ms = parseDuration(raw);
  if (ms === undefined) {
    problems.push(`${name}: ${JSON.stringify(raw)} is not a valid duration`);
    return fallback;
  }
  return ms;
}
