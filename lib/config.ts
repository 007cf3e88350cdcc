import { PLANS, type Plan } from './protocol/index.ts';
import { ENV_DEFAULTS, PROFILE_NAMES, type EnvName, type ProfileName } from './env-options.ts';

/** A bad __ENV value. Thrown in the init context, so k6 stops before any load (exit 107, never 99). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Plans with their weights, in PLANS order, e.g. [['pro', 3], ['enterprise', 1]]. */
export type PlanMix = ReadonlyArray<readonly [Plan, number]>;
export type TokenMode = 'header' | 'subprotocol';

export interface Config {
  baseUrl: string;
  wsUrl: string;
  profile: ProfileName;
  vus: number | undefined;
  durationMs: number | undefined;
  iterations: number | undefined;
  timeScale: number;
  plans: PlanMix;
  sla: { signupMs: number; authMs: number; agentMs: number; orchestrationMs: number };
  tokenMode: TokenMode;
  runsPerSession: number;
  /** Pause between runs on one session, ms (0: none). */
  thinkTimeMs: number;
  runTimeoutMs: number;
  httpTimeoutMs: number;
  expiryWaitMaxMs: number;
  pricesMicrosPerToken: Readonly<Record<Plan, number>>;
  agentMessage: string;
  summaryDir: string;
  paths: { signup: string; login: string; refresh: string; me: string; ws: string; billingUsage: string; billingSummary: string; health: string };
}

type Env = Record<string, string | undefined>;

const bad = (name: string, text: string, why: string): ConfigError => new ConfigError(`${name}="${text}" ${why}`);

/** k6-style duration ("500ms", "30s", "1m30s") in ms; a bare number is seconds, as in k6. */
export function parseDurationMs(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = text.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g);
  if (!parts || parts.join('') !== text) return undefined;
  const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const total = parts.reduce((sum, part) => {
    const [, value, unit] = /^([\d.]+)(\w+)$/.exec(part)!;
    return sum + Number(value) * unitMs[unit!]!;
  }, 0);
  return total > 0 ? total : undefined;
}

/** "pro:3,enterprise:1" → [['pro', 3], ['enterprise', 1]]; weights (whole, above 0) or prices (0 or more). */
export function parsePlanNumbers(name: string, text: string, weights: boolean): PlanMix {
  const found = new Map<Plan, number>();
  for (const item of text.split(',')) {
    const [plan, value = weights ? '1' : '', extra] = item.trim().split(':');
    const number = Number(value);
    const valid = weights ? Number.isInteger(number) && number > 0 : value !== '' && number >= 0;
    if (!PLANS.includes(plan as Plan) || extra !== undefined || !valid || found.has(plan as Plan)) {
      throw bad(name, text, `needs plan:${weights ? 'weight' : 'price'} items, plans ${PLANS.join(', ')}, each once (e.g. pro:3,enterprise:1)`);
    }
    found.set(plan as Plan, number);
  }
  return PLANS.filter((plan) => found.has(plan)).map((plan) => [plan, found.get(plan)!] as const);
}

/** Reads and checks every option; the first bad one throws a one-line ConfigError. */
export function readConfig(env: Env, overrides: { plans?: string } = {}): Config {
  const raw = (name: EnvName, fallback?: string): string => env[name]?.trim() || fallback || ENV_DEFAULTS[name];
  const number = (name: EnvName, whole = true): number => {
    const text = raw(name);
    const value = Number(text);
    if (!(value > 0) || !Number.isFinite(value) || (whole && !Number.isInteger(value))) throw bad(name, text, `must be a ${whole ? 'whole ' : ''}number above 0`);
    return value;
  };
  const zeroOrMore = (name: EnvName): number => {
    const text = raw(name);
    const value = Number(text);
    if (!(value >= 0) || !Number.isInteger(value)) throw bad(name, text, 'must be a whole number, 0 or more');
    return value;
  };
  const optional = (name: EnvName): number | undefined => (raw(name) === '' ? undefined : number(name));
  const oneOf = <T extends string>(name: EnvName, allowed: readonly T[]): T => {
    const text = raw(name);
    if (!(allowed as readonly string[]).includes(text)) throw bad(name, text, `must be one of ${allowed.join(', ')}`);
    return text as T;
  };
  const url = (name: EnvName, scheme: string): string => {
    const text = raw(name).replace(/\/+$/, '');
    if (!new RegExp(`^${scheme}s?://[^/\\s?#]+(/[^\\s?#]*)?$`).test(text)) throw bad(name, text, `is not a ${scheme}(s):// URL`);
    return text;
  };
  const path = (name: EnvName): string => {
    const text = raw(name);
    if (!/^\/[^\s?#]*$/.test(text)) throw bad(name, text, 'must be a path starting with /');
    return text;
  };

  const durationText = raw('DURATION');
  const durationMs = durationText === '' ? undefined : parseDurationMs(durationText);
  if (durationText !== '' && durationMs === undefined) throw bad('DURATION', durationText, 'is not a duration such as 30s, 2m or 1m30s');
  const prices = Object.fromEntries(parsePlanNumbers('PLAN_PRICES', raw('PLAN_PRICES'), false)) as Record<Plan, number>;
  if (PLANS.some((plan) => prices[plan] === undefined)) throw bad('PLAN_PRICES', raw('PLAN_PRICES'), 'needs a price for every plan');
  const baseUrl = url('BASE_URL', 'http');
  const ws = path('PATH_WS');

  return {
    baseUrl,
    wsUrl: raw('WS_URL') === '' ? baseUrl.replace(/^http/, 'ws') + ws : url('WS_URL', 'ws'),
    profile: oneOf('PROFILE', PROFILE_NAMES),
    vus: optional('VUS'),
    durationMs,
    iterations: optional('ITERATIONS'),
    timeScale: number('TIME_SCALE', false),
    plans: parsePlanNumbers('PLANS', raw('PLANS', overrides.plans), true),
    sla: {
      signupMs: number('SLA_SIGNUP_MS', false),
      authMs: number('SLA_AUTH_MS', false),
      agentMs: number('SLA_AGENT_MS', false),
      orchestrationMs: number('SLA_ORCHESTRATION_MS', false),
    },
    tokenMode: oneOf('TOKEN_MODE', ['header', 'subprotocol'] as const),
    runsPerSession: number('RUNS_PER_SESSION'),
    thinkTimeMs: zeroOrMore('THINK_TIME_MS'),
    runTimeoutMs: number('RUN_TIMEOUT_MS'),
    httpTimeoutMs: number('HTTP_TIMEOUT_MS'),
    expiryWaitMaxMs: number('EXPIRY_WAIT_MAX_MS'),
    pricesMicrosPerToken: prices,
    agentMessage: raw('AGENT_MESSAGE'),
    summaryDir: raw('SUMMARY_DIR').replace(/\/+$/, '') || '.',
    paths: {
      signup: path('PATH_SIGNUP'), login: path('PATH_LOGIN'), refresh: path('PATH_REFRESH'), me: path('PATH_ME'), ws,
      billingUsage: path('PATH_BILLING_USAGE'), billingSummary: path('PATH_BILLING_SUMMARY'), health: path('PATH_HEALTH'),
    },
  };
}

/** The configuration from k6's __ENV, read once per VU in the init context. */
export function loadConfig(overrides: { plans?: string } = {}): Config {
  try {
    return readConfig(__ENV, overrides);
  } catch (error) {
    // k6 prints a thrown Error with its JS stack; a thrown string is printed as the one line it is.
    if (error instanceof ConfigError) throw `bad configuration: ${error.message}`;
    throw error;
  }
}

/** The plan of the n-th user (0-based): any sum(weights) consecutive users follow the mix exactly. */
export function planFor(mix: PlanMix, n: number): Plan {
  let slot = n % mix.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [plan, weight] of mix) {
    if (slot < weight) return plan;
    slot -= weight;
  }
  return mix[0]![0];
}
