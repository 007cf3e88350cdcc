import { PLANS, type Plan } from './protocol/index.ts';
import { ENV_DEFAULTS, PROFILE_NAMES, type EnvName, type ProfileName } from './env-options.ts';
import { parseDurationMs } from './duration.ts';
import { parseRate, SLA_CATALOG, SLA_IDS, type PlanBounds, type SlaBounds } from './sla-catalog.ts';
import { readPlanBounds } from './plan-bounds.ts';
import type { AuthMode, Dialect, TokenMode } from './dialects/dialect.ts';
import { DIALECT_NAMES, loadDialect } from './dialects/index.ts';
import type { UserRecord } from './credentials.ts';

declare function require(name: string): unknown;

export type { AuthMode, TokenMode };

/** A bad __ENV value. Thrown in the init context, so k6 stops before any load (exit 107, never 99). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Plans with their weights, in PLANS order, e.g. [['pro', 3], ['enterprise', 1]]. */
export type PlanMix = ReadonlyArray<readonly [Plan, number]>;

export interface Config {
  baseUrl: string;
  wsUrl: string;
  profile: ProfileName;
  vus: number | undefined;
  durationMs: number | undefined;
  iterations: number | undefined;
  /** RATE: iterations per second of an arrival-rate profile. */
  rate: number | undefined;
  timeScale: number;
  plans: PlanMix;
  /**
   * The bound of each SLA (lib/sla-catalog.ts): p(95) in ms for a latency, the least share 0..1 for a rate;
   * undefined for an optional SLA (ttft, itl) nobody set, which is then not judged.
   */
  sla: SlaBounds;
  /** A plan's own latency bound on top of the overall one (SLA_AGENT_MS_ENTERPRISE): { agent: { enterprise: 15000 } }. */
  slaByPlan: PlanBounds;
  /** The backend's wire protocol (DIALECT); every protocol-specific choice goes through it. */
  dialect: Dialect;
  authMode: AuthMode;
  tokenMode: TokenMode;
  /** TOKEN / TOKENS_FILE / USERS_FILE as given; loadConfig reads the files once (k6 SharedArray). */
  credentialSources: { token: string; tokensFile: string; usersFile: string };
  /** AUTH_MODE=login: the users from USERS_FILE; AUTH_MODE=token: the tokens. Filled by loadConfig. */
  users: readonly UserRecord[];
  tokens: readonly string[];
  /** How ag-ui runs travel: an HTTP POST answered with SSE, or a WebSocket (AG_UI_TRANSPORT). */
  agUiTransport: 'sse' | 'websocket';
  /** GET PATH_HEALTH in setup() (HEALTH_CHECK=off skips it). */
  healthCheck: boolean;
  /** Billing is reconciled: the dialect serves agent-sla's billing API, or PATH_BILLING_USAGE was set. */
  billing: boolean;
  runsPerSession: number;
  /** Pause between runs on one session, ms (0: none). */
  thinkTimeMs: number;
  runTimeoutMs: number;
  httpTimeoutMs: number;
  expiryWaitMaxMs: number;
  /** The longest pause before the next attempt after transport errors. */
  backoffMaxMs: number;
  pricesMicrosPerToken: Readonly<Record<Plan, number>>;
  agentMessage: string;
  summaryDir: string;
  paths: { signup: string; login: string; refresh: string; me: string; ws: string; agent: string; billingUsage: string; billingSummary: string; health: string };
}

type Env = Record<string, string | undefined>;

const bad = (name: string, text: string, why: string): ConfigError => new ConfigError(`${name}="${text}" ${why}`);

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
  const optional = (name: EnvName, whole = true): number | undefined => (raw(name) === '' ? undefined : number(name, whole));
  const oneOf = <T extends string>(name: EnvName, allowed: readonly T[], fallback?: string): T => {
    const text = raw(name, fallback);
    if (!(allowed as readonly string[]).includes(text)) throw bad(name, text, `must be one of ${allowed.join(', ')}`);
    return text as T;
  };
  // A query string is kept: /v1/realtime?model=gpt-realtime is a path a backend may need.
  const url = (name: EnvName, scheme: string): string => {
    const text = raw(name).replace(/\/+$/, '');
    if (!new RegExp(`^${scheme}s?://[^/\\s?#]+(/[^\\s?#]*)?(\\?[^\\s#]*)?$`).test(text)) throw bad(name, text, `is not a ${scheme}(s):// URL`);
    return text;
  };
  const path = (name: EnvName, fallback?: string): string => {
    const text = raw(name, fallback);
    if (!/^\/[^\s?#]*(\?[^\s#]*)?$/.test(text)) throw bad(name, text, 'must be a path starting with /');
    return text;
  };

  const durationText = raw('DURATION');
  const durationMs = durationText === '' ? undefined : parseDurationMs(durationText);
  if (durationText !== '' && durationMs === undefined) throw bad('DURATION', durationText, 'is not a duration such as 30s, 2m or 1m30s');
  const prices = Object.fromEntries(parsePlanNumbers('PLAN_PRICES', raw('PLAN_PRICES'), false)) as Record<Plan, number>;
  if (PLANS.some((plan) => prices[plan] === undefined)) throw bad('PLAN_PRICES', raw('PLAN_PRICES'), 'needs a price for every plan');
  const baseUrl = url('BASE_URL', 'http');
  const dialect = loadDialect(oneOf('DIALECT', DIALECT_NAMES));
  const defaults = dialect.defaultPaths;
  const ws = path('PATH_WS', defaults.ws);
  const authMode = oneOf('AUTH_MODE', ['signup', 'login', 'token', 'none'] as const, dialect.defaultAuthMode);
  const credentialSources = { token: raw('TOKEN'), tokensFile: raw('TOKENS_FILE'), usersFile: raw('USERS_FILE') };
  if (authMode === 'token' && credentialSources.token === '' && credentialSources.tokensFile === '') {
    throw bad('AUTH_MODE', authMode, 'needs TOKEN or TOKENS_FILE');
  }
  if (authMode === 'login' && credentialSources.usersFile === '') throw bad('AUTH_MODE', authMode, 'needs USERS_FILE');
  const profile = oneOf('PROFILE', PROFILE_NAMES);
  const arrivalRate = optional('RATE', false);
  if (arrivalRate !== undefined && profile !== 'rate' && profile !== 'breakpoint') throw bad('RATE', raw('RATE'), `applies only to the arrival-rate profiles (rate, breakpoint), not ${profile}`);
  const billingUsage = raw('PATH_BILLING_USAGE');
  const sla = Object.fromEntries(SLA_IDS.map((id) => {
    const def = SLA_CATALOG[id];
    const name = def.env as EnvName;
    if (def.kind === 'latency') return [id, def.defaultMs === undefined ? optional(name, false) : number(name, false)];
    const rate = parseRate(raw(name));
    if (rate === undefined) throw bad(name, raw(name), 'must be a share above 0 and at most 100%, e.g. 99.9% or 0.999');
    return [id, rate];
  })) as SlaBounds;
  const planBounds = readPlanBounds(env, sla);
  if ('error' in planBounds) throw new ConfigError(planBounds.error);
  const slaByPlan = planBounds.bounds;

  return {
    baseUrl,
    wsUrl: raw('WS_URL') === '' ? baseUrl.replace(/^http/, 'ws') + ws : url('WS_URL', 'ws'),
    profile,
    vus: optional('VUS'),
    durationMs,
    iterations: optional('ITERATIONS'),
    rate: arrivalRate,
    timeScale: number('TIME_SCALE', false),
    plans: parsePlanNumbers('PLANS', raw('PLANS', overrides.plans), true),
    sla,
    slaByPlan,
    dialect,
    authMode,
    tokenMode: oneOf('TOKEN_MODE', ['header', 'subprotocol', 'query'] as const),
    credentialSources,
    users: [],
    tokens: [],
    healthCheck: oneOf('HEALTH_CHECK', ['on', 'off'] as const) === 'on',
    agUiTransport: oneOf('AG_UI_TRANSPORT', ['sse', 'websocket'] as const),
    billing: dialect.billing || billingUsage !== '',
    runsPerSession: number('RUNS_PER_SESSION'),
    thinkTimeMs: zeroOrMore('THINK_TIME_MS'),
    runTimeoutMs: number('RUN_TIMEOUT_MS'),
    httpTimeoutMs: number('HTTP_TIMEOUT_MS'),
    expiryWaitMaxMs: number('EXPIRY_WAIT_MAX_MS'),
    backoffMaxMs: number('BACKOFF_MAX_MS'),
    pricesMicrosPerToken: prices,
    agentMessage: raw('AGENT_MESSAGE'),
    summaryDir: raw('SUMMARY_DIR').replace(/\/+$/, '') || '.',
    paths: {
      signup: path('PATH_SIGNUP', defaults.signup), login: path('PATH_LOGIN', defaults.login), refresh: path('PATH_REFRESH', defaults.refresh),
      me: path('PATH_ME', defaults.me), ws, agent: path('PATH_AGENT'), billingUsage: path('PATH_BILLING_USAGE', '/billing/usage'),
      billingSummary: path('PATH_BILLING_SUMMARY', '/billing/summary'), health: path('PATH_HEALTH'),
    },
  };
}

/** The configuration from k6's __ENV, read once per VU in the init context. */
export function loadConfig(overrides: { plans?: string } = {}): Config {
  try {
    const config = readConfig(__ENV, overrides);
    const sources = config.credentialSources;
    if (config.authMode === 'login' || config.authMode === 'token') {
      // Only these modes read files (k6/data's SharedArray); the others never load the module.
      const credentials = require('./credentials.ts') as typeof import('./credentials.ts');
      if (config.authMode === 'login') config.users = credentials.loadUsers(sources.usersFile);
      else config.tokens = credentials.loadTokens(sources.token, sources.tokensFile);
    }
    // AG-UI over HTTP: its session requires agent-sla/sse, which k6 allows only here, in the init context.
    if (config.dialect.streamsOverHttp && config.agUiTransport === 'sse') require('./sse-session.ts');
    return config;
  } catch (error) {
    // k6 prints a thrown Error with its JS stack; a thrown string is printed as the one line it is.
    if (error instanceof ConfigError || (error as Error | undefined)?.name === 'CredentialsError') throw `bad configuration: ${(error as Error).message}`;
    throw error;
  }
}
