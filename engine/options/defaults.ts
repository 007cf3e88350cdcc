import type { TestOptions } from './test-options.ts';

/** k6's system tags that are on unless `systemTags` says otherwise (`vu`, `iter`, `ip`, `ocsp_status` are off). */
export const DEFAULT_SYSTEM_TAGS: readonly string[] = [
  'proto', 'subproto', 'status', 'method', 'url', 'name', 'group', 'check', 'error', 'error_code', 'tls_version', 'scenario', 'service', 'expected_response',
];

/** Every system tag k6 knows. */
export const ALL_SYSTEM_TAGS: readonly string[] = [...DEFAULT_SYSTEM_TAGS, 'vu', 'iter', 'ip', 'ocsp_status'];

export const DEFAULT_SUMMARY_TREND_STATS: readonly string[] = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

/** k6's User-Agent for this engine: k6's own form, naming us. */
export const DEFAULT_USER_AGENT = 'agent-sla/0.1.0 (https://github.com/agent-sla; k6-compatible)';

/** The options of a test that sets none: what consolidation starts from. */
export function defaultTestOptions(): TestOptions {
  return {
    scenarios: {},
    thresholds: {},
    tags: {},
    systemTags: [...DEFAULT_SYSTEM_TAGS],
    summaryTrendStats: [...DEFAULT_SUMMARY_TREND_STATS],
    summaryTimeUnit: '',
    setupTimeoutMs: 60_000,
    teardownTimeoutMs: 60_000,
    noSetup: false,
    noTeardown: false,
    noConnectionReuse: false,
    noVUConnectionReuse: false,
    userAgent: DEFAULT_USER_AGENT,
    insecureSkipTLSVerify: false,
    discardResponseBodies: false,
    throw: false,
    maxRedirects: 10,
    batch: 20,
    batchPerHost: 6,
    hosts: {},
    raw: {},
  };
}
