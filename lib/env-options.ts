/**
 * Every `__ENV` variable the scenarios read: its default and one line of help.
 * Pure data with no k6 import, so the Node CLI can print it (`agent-sla run --help`).
 * Defaults and help are two tables with the same keys so a k6 bundle, which needs only the
 * defaults, leaves the help text out. `lib/config.ts` reads and checks every one of them.
 */
import { REFERENCE_PLAN_PRICES } from './protocol/prices.ts';
import { formatPercent } from './format.ts';
import { defaultBound, SLA_CATALOG, type SlaId } from './sla-catalog.ts';

const slaDefault = (id: SlaId): string => {
  const bound = defaultBound(id);
  if (bound === undefined) return '';
  return SLA_CATALOG[id].kind === 'latency' ? String(bound) : formatPercent(bound);
};

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
  DIALECT: 'agent-sla',
  AUTH_MODE: '',
  TOKEN: '',
  TOKENS_FILE: '',
  USERS_FILE: '',
  HEALTH_CHECK: 'on',
  AG_UI_TRANSPORT: 'sse',
  PROFILE: 'smoke',
  VUS: '',
  DURATION: '',
  ITERATIONS: '',
  RATE: '',
  TIME_SCALE: '1',
  PLANS: 'free:1,pro:2,enterprise:1',
  SLA_SIGNUP_MS: slaDefault('signup'),
  SLA_AUTH_MS: slaDefault('auth'),
  SLA_AGENT_MS: slaDefault('agent'),
  SLA_ORCHESTRATION_MS: slaDefault('orchestration'),
  SLA_TTFT_MS: slaDefault('ttft'),
  SLA_ITL_MS: slaDefault('itl'),
  SLA_SEQUENCE_RATE: slaDefault('sequence'),
  SLA_BILLING_RATE: slaDefault('billing'),
  SLA_RUNS_RATE: slaDefault('runs'),
  SLA_REFUSALS_RATE: slaDefault('refusals'),
  SLA_RESPONSES_RATE: slaDefault('responses'),
  TOKEN_MODE: 'header',
  RUNS_PER_SESSION: '2',
  THINK_TIME_MS: '0',
  RUN_TIMEOUT_MS: '90000',
  HTTP_TIMEOUT_MS: '30000',
  EXPIRY_WAIT_MAX_MS: '5000',
  BACKOFF_MAX_MS: '5000',
  PLAN_PRICES: REFERENCE_PLAN_PRICES,
  AGENT_MESSAGE: 'Summarise my account usage this month',
  SUMMARY_DIR: '.',
  PATH_SIGNUP: '',
  PATH_LOGIN: '',
  PATH_REFRESH: '',
  PATH_ME: '',
  PATH_WS: '',
  PATH_AGENT: '/',
  PATH_BILLING_USAGE: '',
  PATH_BILLING_SUMMARY: '',
  PATH_HEALTH: '/health',
} as const;

export type EnvName = keyof typeof ENV_DEFAULTS;

export const ENV_HELP: Readonly<Record<EnvName, string>> = {
  BASE_URL: 'HTTP base URL of the backend under test',
  WS_URL: 'WebSocket URL, query string kept (e.g. ws://host/v1/realtime?model=gpt-realtime); default: BASE_URL with ws(s):// and PATH_WS',
  DIALECT: "the backend's wire protocol: agent-sla (PROTOCOL.md), envelope ({type, payload}), openai-realtime or ag-ui (see docs/dialects.md)",
  AUTH_MODE: "signup (new users), login (USERS_FILE), token (TOKEN or TOKENS_FILE) or none; default: the dialect's (openai-realtime: token, else signup)",
  TOKEN: 'AUTH_MODE=token: one access token or API key for every VU (never printed)',
  TOKENS_FILE: 'AUTH_MODE=token: a file with one token per line, handed out round-robin by VU',
  USERS_FILE: 'AUTH_MODE=login: existing users, CSV (email,password[,plan] with a header line) or JSON [{email, password, plan?}]',
  AG_UI_TRANSPORT: 'ag-ui: sse (POST PATH_AGENT, answered with Server-Sent Events) or websocket (one event per frame at PATH_WS)',
  HEALTH_CHECK: 'on: GET PATH_HEALTH in setup() must answer 2xx (agent-sla also checks the contract); off: skip it',
  PROFILE: 'load profile: smoke, load, stress, soak, spike, breakpoint, rate',
  VUS: "peak virtual users; default: the profile's (stages are scaled to it)",
  DURATION: "total duration, e.g. 30s, 2m (TIME_SCALE does not apply); default: the profile's, stages scaled to it",
  ITERATIONS: 'run exactly this many iterations, shared by VUS users (shared-iterations)',
  RATE: "arrival-rate profiles: iterations (sessions) started per second, whatever the backend does; rate: the constant rate (default 10, its VU pool scaled with it), breakpoint: the peak",
  TIME_SCALE: "multiplies every profile duration (0.1 runs a profile ten times shorter)",
  PLANS: 'plan mix of the users signed up (agent-billing: pro:3,enterprise:1)',
  SLA_SIGNUP_MS: 'signup SLA: p(95) of signup + first login, ms',
  SLA_AUTH_MS: 'auth SLA: p(95) of login or authenticated WebSocket handshake, ms',
  SLA_AGENT_MS: 'agent response SLA: p(95) of user_message → agent_completed, ms',
  SLA_ORCHESTRATION_MS: "orchestration SLA: p(95) of user_message → supervisor's agent_completed, ms",
  SLA_TTFT_MS: 'time to first token SLA: p(95) of user message → first text delta, ms; judged only when set (streaming dialects)',
  SLA_ITL_MS: 'inter-token latency SLA: p(95) of the gap between consecutive text deltas, ms; judged only when set',
  SLA_SEQUENCE_RATE: 'event sequence well-formed: share of runs whose stream kept the protocol (correctness: exact unless loosened), e.g. 99.9%',
  SLA_BILLING_RATE: 'billed exactly once: share of completed runs billed right (correctness: exact unless loosened), e.g. 99.9%',
  SLA_RUNS_RATE: 'agent runs completed: availability budget, e.g. 99.9%',
  SLA_REFUSALS_RATE: 'bad tokens refused: share of forged, expired or missing tokens refused (correctness: exact unless loosened)',
  SLA_RESPONSES_RATE: 'responses as the contract says (k6 checks): availability budget, e.g. 99.9%',
  TOKEN_MODE: "how the WebSocket carries the token: header (Authorization: Bearer), subprotocol (in the dialect's form) or query (?token=)",
  RUNS_PER_SESSION: 'agent runs sent, one after the other, on each WebSocket session',
  THINK_TIME_MS: 'pause between two runs on one session, as a user reading the answer (agent-events); holds sessions open at scale',
  RUN_TIMEOUT_MS: 'an agent run with no terminal event by then fails with reason timeout',
  HTTP_TIMEOUT_MS: 'timeout of every HTTP request',
  EXPIRY_WAIT_MAX_MS: 'auth-websocket waits for a real token expiry only if tokens live at most this long',
  BACKOFF_MAX_MS: 'after transport errors (refused, reset, timeout, 502/503/504) a VU waits before its next attempt: exponential back-off with jitter, at most this long',
  PLAN_PRICES: 'price per token by plan, in micros, that billing must charge',
  AGENT_MESSAGE: 'content of the user_message each run sends',
  SUMMARY_DIR: 'existing directory for junit.xml, sla-summary.json and sla-summary.md',
  PATH_SIGNUP: "signup route; default: the dialect's (/auth/signup; envelope: /auth/register)",
  PATH_LOGIN: "login route; default: the dialect's (/auth/login)",
  PATH_REFRESH: "token refresh route; default: the dialect's (/auth/refresh)",
  PATH_ME: "current-user route; default: the dialect's (/auth/me)",
  PATH_WS: "WebSocket route, used when WS_URL is not set; default: the dialect's (/ws; openai-realtime: /v1/realtime?model=gpt-realtime)",
  PATH_AGENT: "ag-ui: the agent's URL path, POSTed a RunAgentInput",
  PATH_BILLING_USAGE: 'billing records route (?run_id=); default /billing/usage for agent-sla; setting it turns billing checks on for any dialect',
  PATH_BILLING_SUMMARY: 'billing summary route; default /billing/summary',
  PATH_HEALTH: 'health route, checked once in setup()',
};

/**
 * Variables read by a name pattern rather than one name: listed in the help after the named ones.
 * lib/plan-bounds.ts reads them; any other SLA_* name is refused.
 */
export const ENV_PATTERNS: readonly EnvOption[] = [
  {
    name: 'SLA_<SLA>_MS_<PLAN>',
    default: '',
    description: "a plan's own p(95) bound, ms, for a latency SLA, e.g. SLA_AGENT_MS_ENTERPRISE=15000; other plans keep the SLA's bound",
  },
];

/** The table the CLI prints, in the order above. */
export function envOptions(): EnvOption[] {
  return (Object.keys(ENV_DEFAULTS) as EnvName[]).map((name) => ({ name, default: ENV_DEFAULTS[name], description: ENV_HELP[name] }));
}

/** The __ENV name each `--sla` key maps to, for the CLI. */
export const SLA_ENV_NAMES = Object.fromEntries(Object.entries(SLA_CATALOG).map(([id, def]) => [id, def.env])) as Readonly<Record<SlaId, string>>;

export const PROFILE_NAMES = ['smoke', 'load', 'stress', 'soak', 'spike', 'breakpoint', 'rate'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Help lines, `NAME  description (default: x)`, aligned. */
export function envHelpLines(): string[] {
  const options = [...envOptions(), ...ENV_PATTERNS];
  const width = Math.max(...options.map((option) => option.name.length)) + 2;
  return options.map((option) => {
    const fallback = option.default === '' ? '' : ` (default: ${option.default})`;
    return `  ${option.name.padEnd(width)}${option.description}${fallback}`;
  });
}
