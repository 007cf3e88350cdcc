import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExecutionTier, Overrides } from '../engine/options/consolidate.ts';
import { parseDuration } from '../engine/options/duration.ts';
import { parseExecutionSegment, SegmentError } from '../engine/options/execution-segment.ts';
import type { RunConfig } from '../engine/run/run-config.ts';
import type { LogFormat } from '../engine/runtime/logger.ts';
import { PreflightError } from './preflight-error.ts';

interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  value?: string;
  description: string;
}

/** The `k6 run` flags `agent-sla exec` takes, with their meaning in k6. */
export const execFlags = {
  vus: { type: 'string', short: 'u', value: 'N', description: 'number of virtual users (the `vus` option)' },
  duration: { type: 'string', short: 'd', value: 'D', description: 'test duration, e.g. 30s, 5m (constant VUs unless --iterations)' },
  iterations: { type: 'string', short: 'i', value: 'N', description: 'iterations shared by the VUs (shared-iterations)' },
  stage: { type: 'string', short: 's', multiple: true, value: 'D:T', description: 'a ramping stage, duration:target VUs; repeat for more' },
  env: { type: 'string', short: 'e', multiple: true, value: 'K=V', description: 'an __ENV variable, on top of the process environment; repeatable' },
  tag: { type: 'string', multiple: true, value: 'K=V', description: 'a tag on every sample (options.tags); repeatable' },
  out: { type: 'string', short: 'o', multiple: true, value: 'SPEC', description: 'json=FILE or influxdb=http://host:8086/db; repeatable' },
  quiet: { type: 'boolean', short: 'q', description: 'no banner, no progress' },
  'no-summary': { type: 'boolean', description: 'no end-of-test summary (and no handleSummary)' },
  'no-thresholds': { type: 'boolean', description: 'do not evaluate thresholds' },
  'summary-mode': { type: 'string', value: 'MODE', description: 'compact (default) or full' },
  'summary-export': { type: 'string', value: 'FILE', description: "write k6's legacy summary JSON to FILE" },
  'summary-trend-stats': { type: 'string', value: 'LIST', description: 'trend stats shown, e.g. avg,p(95),p(99.9)' },
  'system-tags': { type: 'string', value: 'LIST', description: 'system tags on samples, e.g. status,method,url' },
  'execution-segment': { type: 'string', value: 'SEG', description: 'the part of the test this instance runs, e.g. 1/4:2/4' },
  'execution-segment-sequence': { type: 'string', value: 'SEQ', description: 'every segment of the test, e.g. 0,1/4,2/4,3/4,1' },
  'no-setup': { type: 'boolean', description: "don't run setup()" },
  'no-teardown': { type: 'boolean', description: "don't run teardown()" },
  'no-color': { type: 'boolean', description: 'no colors in the output' },
  'log-format': { type: 'string', value: 'F', description: 'text, logfmt, json or raw' },
  verbose: { type: 'boolean', short: 'v', description: 'debug logs too' },
  workers: { type: 'string', value: 'N', description: 'worker threads hosting the VUs (default: one per core)' },
  arrivals: { type: 'string', value: 'KIND', description: "arrival-rate executors: even (k6's, default) or poisson (exponential gaps, same mean rate); agent-sla only" },
  'arrivals-seed': { type: 'string', value: 'N', description: 'the seed of --arrivals poisson, for a repeatable schedule (default 1)' },
  'no-usage-report': { type: 'boolean', description: 'accepted for k6 compatibility; agent-sla sends no usage report' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies Record<string, FlagSpec>;

export function execHelp(): string {
  const rows = Object.entries(execFlags as Record<string, FlagSpec>).map(([name, spec]) => [`${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.description] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return [
    'Usage: agent-sla exec [k6 run flags] <script.js>',
    '',
    "Runs a k6 script on agent-sla's own engine, as `k6 run` would: the same flags, options, thresholds,",
    'summary and exit codes. Modules: k6, k6/http, k6/websockets, k6/timers, k6/metrics, k6/execution, k6/data,',
    'k6/encoding, agent-sla/sse, agent-sla/ledger. K6_VUS, K6_DURATION, K6_ITERATIONS and K6_STAGES are read too.',
    '',
    'Flags:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
    '',
    'Exit codes: 0 passed; 2 a usage error (unknown flag, no script); 99 a threshold failed; 100/101 setup/teardown',
    'timed out; 104 bad options; 105 interrupted; 107 a script error (init, setup or teardown); 108 test.abort();',
    '110 test.fail().',
  ].join('\n');
}

/** k6's exit code for an option with a bad value, from a flag or a K6_* variable. */
const INVALID_CONFIG = 104;

const invalid = (message: string): PreflightError => new PreflightError(message, INVALID_CONFIG);

const integer = (flag: string, text: string, min: number): number => {
  const name = flag.startsWith('K6_') ? flag : `--${flag}`;
  if (!/^\d+$/.test(text.trim())) throw invalid(`${name}: "${text}" is not a whole number`);
  const value = Number(text);
  if (value < min) throw invalid(`${name}: must be at least ${min}`);
  return value;
};

function pairs(flag: string, list: readonly string[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of list ?? []) {
    const at = entry.indexOf('=');
    if (at <= 0) throw invalid(`--${flag}: "${entry}" must be NAME=VALUE`);
    result[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return result;
}

function stages(flag: string, list: readonly string[]): NonNullable<ExecutionTier['stages']> {
  return list.map((entry) => {
    const [duration, target, ...rest] = entry.split(':');
    if (rest.length > 0 || duration === undefined || target === undefined || parseDuration(duration) === undefined || !/^\d+$/.test(target)) {
      throw invalid(`${flag}: "${entry}" must be DURATION:TARGET, e.g. 30s:10`);
    }
    return { duration, target: Number(target) };
  });
}

/** The execution options one source sets: flags, or K6_* variables. */
function tierOf(source: string, vus: string | undefined, duration: string | undefined, iterations: string | undefined, stageList: readonly string[] | undefined): ExecutionTier {
  const tier: ExecutionTier = {};
  if (vus !== undefined) tier.vus = integer(source === 'flags' ? 'vus' : 'K6_VUS', vus, 0);
  if (duration !== undefined) {
    if (parseDuration(duration) === undefined) throw invalid(`${source === 'flags' ? '--duration' : 'K6_DURATION'}: "${duration}" is not a duration (30s, 5m, 1h30m)`);
    tier.duration = duration;
  }
  if (iterations !== undefined) tier.iterations = integer(source === 'flags' ? 'iterations' : 'K6_ITERATIONS', iterations, 0);
  if (stageList !== undefined && stageList.length > 0) tier.stages = stages(source === 'flags' ? '--stage' : 'K6_STAGES', stageList);
  return tier;
}

function arrivalsOf(kind: string | undefined, seed: string | undefined): RunConfig['arrivals'] {
  if (kind !== undefined && kind !== 'even' && kind !== 'poisson') throw invalid(`--arrivals: "${kind}" is not one of even, poisson`);
  if (seed !== undefined && kind !== 'poisson') throw invalid('--arrivals-seed needs --arrivals poisson');
  return { kind: kind ?? 'even', seed: seed === undefined ? 1 : integer('arrivals-seed', seed, 0) };
}

/** `agent-sla exec`'s flags read and checked: one line for the first problem, before anything runs. */
export function parseExecArgs(argv: string[], environment: NodeJS.ProcessEnv, cwd: string): { config: RunConfig; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: execFlags, allowPositionals: true, strict: true });
  } catch (error) {
    throw new PreflightError(`exec: ${(error as Error).message.split('\n')[0]}; see agent-sla exec --help`);
  }
  const values = parsed.values;
  if (values.help) return { config: undefined as unknown as RunConfig, help: true };
  if (parsed.positionals.length !== 1) throw new PreflightError(`exec needs exactly one script, got ${parsed.positionals.length === 0 ? 'none' : parsed.positionals.join(' ')}`);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) if (value !== undefined) env[name] = value;
  Object.assign(env, pairs('env', values.env));

  const summaryMode = values['summary-mode'] ?? environment.K6_SUMMARY_MODE ?? 'compact';
  if (summaryMode !== 'compact' && summaryMode !== 'full') throw invalid(`--summary-mode: "${summaryMode}" is not one of compact, full`);
  const logFormat = values['log-format'] ?? environment.K6_LOG_FORMAT;
  if (logFormat !== undefined && !['text', 'logfmt', 'json', 'raw'].includes(logFormat)) throw invalid(`--log-format: "${logFormat}" is not one of text, logfmt, json, raw`);
  let segment;
  try {
    segment = parseExecutionSegment(values['execution-segment'] ?? environment.K6_EXECUTION_SEGMENT, values['execution-segment-sequence'] ?? environment.K6_EXECUTION_SEGMENT_SEQUENCE);
  } catch (error) {
    if (error instanceof SegmentError) throw invalid(error.message);
    throw error;
  }
  const envStages = environment.K6_STAGES ? environment.K6_STAGES.split(',') : undefined;
  const overrides: Overrides = {
    tiers: [
      tierOf('environment', environment.K6_VUS, environment.K6_DURATION, environment.K6_ITERATIONS, envStages),
      tierOf('flags', values.vus, values.duration, values.iterations, values.stage),
    ],
    tags: pairs('tag', values.tag),
  };
  const list = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : text.split(',').map((item) => item.trim()).filter((item) => item !== ''));
  const trendStats = list(values['summary-trend-stats'] ?? environment.K6_SUMMARY_TREND_STATS);
  if (trendStats) overrides.summaryTrendStats = trendStats;
  const systemTags = list(values['system-tags'] ?? environment.K6_SYSTEM_TAGS);
  if (systemTags) overrides.systemTags = systemTags;
  if (values['no-setup']) overrides.noSetup = true;
  if (values['no-teardown']) overrides.noTeardown = true;
  const outputs = values.out ?? (environment.K6_OUT ? environment.K6_OUT.split(',') : []);
  const flag = (value: boolean | undefined, variable: string | undefined): boolean => value === true || variable === 'true' || variable === '1';
  const config: RunConfig = {
    scriptPath: resolve(cwd, parsed.positionals[0]!),
    env,
    overrides,
    outputs,
    segment,
    quiet: flag(values.quiet, environment.K6_QUIET),
    noSummary: flag(values['no-summary'], environment.K6_NO_SUMMARY),
    noThresholds: flag(values['no-thresholds'], environment.K6_NO_THRESHOLDS),
    summaryMode,
    summaryExport: values['summary-export'] ?? environment.K6_SUMMARY_EXPORT,
    noColor: flag(values['no-color'], environment.K6_NO_COLOR) || environment.NO_COLOR !== undefined,
    logFormat: logFormat as LogFormat | undefined,
    verbose: values.verbose === true,
    workers: values.workers === undefined ? undefined : integer('workers', values.workers, 1),
    arrivals: arrivalsOf(values.arrivals, values['arrivals-seed']),
    cwd,
  };
  return { config, help: false };
}

/**
 * The same flags checked for another command (`run`'s flags after --, `k8s`'s pods): a problem is that command's bad
 * configuration, exit 2, found before anything starts.
 */
export function checkExecArgs(argv: string[], environment: NodeJS.ProcessEnv, cwd: string, what: string): RunConfig {
  try {
    return parseExecArgs(argv, environment, cwd).config;
  } catch (error) {
    if (error instanceof PreflightError) throw new PreflightError(`${what}: ${error.message}`);
    throw error;
  }
}
