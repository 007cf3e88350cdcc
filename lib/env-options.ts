/**
 * Every `__ENV` variable the scenarios read: its default and one line of help.
 * Pure data with no k6 import, so the Node CLI can print it (`agent-sla run --help`).
 * Defaults and help are two tables with the same keys so a k6 bundle, which needs only the
 * defaults, leaves the help text out. `lib/config.ts` reads and checks every one of them.
 */
import { REFERENCE_PLAN_PRICES } from './protocol/prices.ts';

export interface EnvOption {
  name: string;
  /** As text, the way it would be passed with `-e NAME=value`; "" when it has none. */
  default: string;
  description: string;
}

/** Default of each variable, as text ("" when it has none). */
export const ENV_DEFAULTS = {
  BASE_URL: 'http://127.0.0.1:8080',
  WS_URL: '',
  PROFILE: 'smoke',
  VUS: '',
  DURATION: '',
  ITERATIONS: '',
  TIME_SCALE: '1',
  PLANS: 'free:1,pro:2,enterprise:1',
  SLA_SIGNUP_MS: '10000',
  SLA_AUTH_MS: '5000',
  SLA_AGENT_MS: '30000',
  SLA_ORCHESTRATION_MS: '45000',
  TOKEN_MODE: 'header',
  RUNS_PER_SESSION: '2',
  THINK_TIME_MS: '0',
  RUN_TIMEOUT_MS: '90000',
  HTTP_TIMEOUT_MS: '30000',
  EXPIRY_WAIT_MAX_MS: '5000',
  PLAN_PRICES: REFERENCE_PLAN_PRICES,
  AGENT_MESSAGE: 'Summarise my account usage this month',
  SUMMARY_DIR: '.',
  PATH_SIGNUP: '/auth/signup',
  PATH_LOGIN: '/auth/login',
  PATH_REFRESH: '/auth/refresh',
  PATH_ME: '/auth/me',
  PATH_WS: '/ws',
  PATH_BILLING_USAGE: '/billing/usage',
  PATH_BILLING_SUMMARY: '/billing/summary',
  PATH_HEALTH: '/health',
} as const;

export type EnvName = keyof typeof ENV_DEFAULTS;

export const ENV_HELP: Readonly<Record<EnvName, string>> = {
  BASE_URL: 'HTTP base URL of the backend under test',
  WS_URL: 'WebSocket URL; default: BASE_URL with ws(s):// and PATH_WS',
  PROFILE: 'load profile: smoke, load, stress, soak, spike, breakpoint',
  VUS: "peak virtual users; default: the profile's (stages are scaled to it)",
  DURATION: "total duration, e.g. 30s, 2m (TIME_SCALE does not apply); default: the profile's, stages scaled to it",
  ITERATIONS: 'run exactly this many iterations, shared by VUS users (shared-iterations)',
  TIME_SCALE: "multiplies every profile duration (0.1 runs a profile ten times shorter)",
  PLANS: 'plan mix of the users signed up (agent-billing: pro:3,enterprise:1)',
  SLA_SIGNUP_MS: 'signup SLA: p(95) of signup + first login, ms',
  SLA_AUTH_MS: 'auth SLA: p(95) of login or authenticated WebSocket handshake, ms',
  SLA_AGENT_MS: 'agent response SLA: p(95) of user_message → agent_completed, ms',
  SLA_ORCHESTRATION_MS: "orchestration SLA: p(95) of user_message → supervisor's agent_completed, ms",
  TOKEN_MODE: 'how the WebSocket carries the token: header or subprotocol',
  RUNS_PER_SESSION: 'agent runs sent, one after the other, on each WebSocket session',
  THINK_TIME_MS: 'pause between two runs on one session, as a user reading the answer (agent-events); holds sessions open at scale',
  RUN_TIMEOUT_MS: 'an agent run with no terminal event by then fails with reason timeout',
  HTTP_TIMEOUT_MS: 'timeout of every HTTP request',
  EXPIRY_WAIT_MAX_MS: 'auth-websocket waits for a real token expiry only if tokens live at most this long',
  PLAN_PRICES: 'price per token by plan, in micros, that billing must charge',
  AGENT_MESSAGE: 'content of the user_message each run sends',
  SUMMARY_DIR: 'existing directory for junit.xml, sla-summary.json and sla-summary.md',
  PATH_SIGNUP: 'signup route',
  PATH_LOGIN: 'login route',
  PATH_REFRESH: 'token refresh route',
  PATH_ME: 'current-user route',
  PATH_WS: 'WebSocket route (used when WS_URL is not set)',
  PATH_BILLING_USAGE: 'billing records route (?run_id=)',
  PATH_BILLING_SUMMARY: 'billing summary route',
  PATH_HEALTH: 'health route, checked once in setup()',
};

/** The table the CLI prints, in the order above. */
export function envOptions(): EnvOption[] {
  return (Object.keys(ENV_DEFAULTS) as EnvName[]).map((name) => ({ name, default: ENV_DEFAULTS[name], description: ENV_HELP[name] }));
}

/** The __ENV name each `--sla` key maps to, for the CLI. */
export const SLA_ENV_NAMES = {
  signup: 'SLA_SIGNUP_MS',
  auth: 'SLA_AUTH_MS',
  agent: 'SLA_AGENT_MS',
  orchestration: 'SLA_ORCHESTRATION_MS',
} as const;

export const PROFILE_NAMES = ['smoke', 'load', 'stress', 'soak', 'spike', 'breakpoint'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Help lines, `NAME  description (default: x)`, aligned. */
export function envHelpLines(): string[] {
  const options = envOptions();
  const width = Math.max(...options.map((option) => option.name.length)) + 2;
  return options.map((option) => {
    const fallback = option.default === '' ? '' : ` (default: ${option.default})`;
    return `  ${option.name.padEnd(width)}${option.description}${fallback}`;
  });
}
