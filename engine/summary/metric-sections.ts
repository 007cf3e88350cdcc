/**
 * Where a metric goes in the summary's TOTAL RESULTS, and which ones are left out. Like k6, names are matched by
 * prefix, so submetrics follow their metric (`http_req_duration{…}` is HTTP).
 */
export type SectionName = 'custom' | 'http' | 'execution' | 'network' | 'browser' | 'web_vitals' | 'grpc' | 'websocket';

/** The order sections are printed in: CUSTOM first, then k6's own. */
export const SECTION_ORDER: readonly SectionName[] = ['custom', 'http', 'execution', 'network', 'browser', 'web_vitals', 'grpc', 'websocket'];

const HTTP = ['http_reqs', 'http_req_failed', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'];
const EXECUTION = ['vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations'];
const NETWORK = ['data_sent', 'data_received'];
/** Shown by their own lines (checks) or not at all (group_duration). */
const ALWAYS_LEFT_OUT = ['checks', 'group_duration'];
/** Left out of the compact summary. */
const COMPACT_LEFT_OUT = ['http_req_blocked', 'http_req_connecting', 'http_req_receiving', 'http_req_sending', 'http_req_tls_handshaking', 'http_req_waiting'];

const startsWithAny = (name: string, prefixes: readonly string[]) => prefixes.some((prefix) => name.startsWith(prefix));

export function isLeftOut(name: string, mode: 'compact' | 'full'): boolean {
  return startsWithAny(name, ALWAYS_LEFT_OUT) || (mode === 'compact' && startsWithAny(name, COMPACT_LEFT_OUT));
}

export function sectionOf(name: string): SectionName {
  if (startsWithAny(name, HTTP)) return 'http';
  if (startsWithAny(name, EXECUTION)) return 'execution';
  if (startsWithAny(name, NETWORK)) return 'network';
  if (name.startsWith('browser_web_vital_')) return 'web_vitals';
  if (name.startsWith('browser_')) return 'browser';
  if (name.startsWith('grpc_')) return 'grpc';
  if (name.startsWith('ws_')) return 'websocket';
  return 'custom';
}

/** Metric names in k6's order: by metric name, each metric's submetrics right after it. */
export function sortMetricNames(names: string[]): string[] {
  return names.sort((left, right) => {
    const leftParent = left.split('{', 1)[0]!;
    const rightParent = right.split('{', 1)[0]!;
    return leftParent.localeCompare(rightParent) || left.slice(leftParent.length).localeCompare(right.slice(rightParent.length));
  });
}
