import { optionHelpLines, type OptionTable } from './option-table.ts';
import { slaOptionHelp } from './sla-spec.ts';
import { DIALECT_NAMES } from '../lib/dialects/index.ts';

/** Most k6 processes `--segments` starts on one machine. */
export const maxSegments = 64;

/**
 * Every option `agent-sla run` accepts. parseArgs reads this table and `--help` prints it, and a test
 * compares the two. `env` names the k6 `__ENV` variable an option is passed as (see lib/env-options.ts).
 */
export const runOptions = {
  profile: { type: 'string', value: 'NAME', description: 'load profile (default: smoke)', env: 'PROFILE' },
  target: {
    type: 'string',
    value: 'URL',
    description: 'your backend; checked first at PATH_HEALTH (agent-sla: /health must name the contract; other dialects: any 2xx). Default: start the reference target on a free loopback port',
    env: 'BASE_URL',
  },
  dialect: {
    type: 'string',
    value: 'NAME',
    description: `the backend's wire protocol: ${DIALECT_NAMES.join(', ')} (default: agent-sla; docs/dialects.md). Auth: AUTH_MODE, TOKEN, TOKENS_FILE, USERS_FILE below`,
    env: 'DIALECT',
  },
  'no-health': { type: 'boolean', description: 'skip the health check before the run (HEALTH_CHECK=off), for a backend with no health route' },
  influx: { type: 'string', value: 'URL', description: 'also stream metrics to this InfluxDB (k6 --out influxdb=), tagged with the testid' },
  sla: {
    type: 'string',
    value: 'LIST',
    description: slaOptionHelp,
  },
  'out-dir': { type: 'string', value: 'DIR', description: 'where the reports go (default: reports/<testid>/)', env: 'SUMMARY_DIR' },
  vus: { type: 'string', value: 'N', description: "override the profile's virtual users", env: 'VUS' },
  duration: { type: 'string', value: 'D', description: "override the profile's duration, e.g. 30s, 2m", env: 'DURATION' },
  iterations: { type: 'string', value: 'N', description: "override the profile's iterations", env: 'ITERATIONS' },
  rate: {
    type: 'string',
    value: 'R',
    description: 'sessions (iterations) started per second whatever the backend does: the rate profile (the default with --rate) at R/s; breakpoint: its peak',
    env: 'RATE',
  },
  arrivals: {
    type: 'string',
    value: 'KIND',
    description: "how arrivals are spaced at that rate: even (k6's, default) or poisson (random gaps of the same mean, seeded: -- --arrivals-seed N); agent-sla's engine only",
  },
  plans: { type: 'string', value: 'MIX', description: 'plan mix of the users signed up, e.g. pro:3,enterprise:1', env: 'PLANS' },
  'token-mode': {
    type: 'string',
    value: 'MODE',
    description: "how the WebSocket carries the token: header (Authorization: Bearer), subprotocol (in the dialect's form, e.g. jwt-auth, jwt.<token>) or query (?token=)",
    env: 'TOKEN_MODE',
  },
  testid: { type: 'string', value: 'ID', description: 'name this run (default: <scenario>-<yyyymmdd-hhmmss>-<rand>, UTC)' },
  segments: {
    type: 'string',
    value: 'N',
    description: `split the load into N execution segments run side by side (--execution-segment), one testid; 1 to ${maxSegments}, default 1; N > 1 needs --influx, where the report joins them`,
  },
  k6: {
    type: 'string',
    value: 'PATH',
    description: "run the bundle on your own k6 at PATH instead of agent-sla's engine (also K6_BIN); agent-sla never installs a k6",
  },
  'print-options': { type: 'boolean', description: 'print the k6 options the run would use (scenarios, thresholds by key) and exit without running' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress (k6 --quiet)' },
  json: { type: 'boolean', description: 'print one JSON object (testid, exit code, verdict, reports, SLAs) and nothing else on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

export function runHelp(scenarios: string[], envLines: string[]): string {
  return [
    'Usage: agent-sla run <scenario> [options] [-- <k6 run flags>]',
    '',
    `Scenarios: ${scenarios.join(', ') || '(none built yet: scenarios/*.ts)'}`,
    '',
    'Options:',
    ...optionHelpLines(runOptions),
    '',
    'Anything after -- is a `k6 run` flag, passed as it is, e.g. -- -e NAME=value or -- --summary-mode full.',
    '',
    'k6 environment the scenarios read (set it in the environment, or pass -- -e NAME=value):',
    ...envLines,
    '',
    'Exit codes: 0 every SLA held; 99 an SLA failed; 2 bad configuration, no load was sent; other: as k6 (107 a script error, 108 aborted).',
    'With --segments N: 99 when any segment or the joined report failed an SLA, else the first other non-zero exit.',
  ].join('\n');
}
