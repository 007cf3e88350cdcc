/**
 * What counts as the backend being down, shared by the VUs (lib/availability.ts), handleSummary and
 * `agent-sla report` (which runs in Node, so this file imports neither k6 nor node).
 */

/** Error kinds that mean the backend could not be reached, or its proxy said it was down. */
export const TRANSPORT_KINDS: readonly string[] = ['refused', 'reset', 'timeout', 'dns', 'network', 'http_5xx'];

/** A span counts as an outage when every attempt in it failed with a transport error for at least this long. */
export const MIN_OUTAGE_MS = 2000;
