import exec from 'k6/execution';
import type { RefinedResponse } from 'k6/http';
import { ledger } from './ledger.ts';
import type { Config } from './config.ts';
import { agentErrors } from './metrics.ts';
import { TRANSPORT_KINDS } from './outage-rules.ts';
import { wait } from './wait.ts';

/**
 * What kind of error an attempt met. The transport kinds (the backend could not be reached, or its
 * proxy said it was down) make the VU back off; the others are the backend answering badly.
 */
export type ErrorKind = 'refused' | 'reset' | 'timeout' | 'dns' | 'network' | 'http_5xx' | `ws_close_${number}` | 'protocol';

const TRANSPORT: ReadonlySet<string> = new Set(TRANSPORT_KINDS);

/** k6's HTTP error codes (lib/netext/httpext/error_codes.go) and gateway statuses, as kinds. */
export function httpErrorKind(response: Pick<RefinedResponse<'text'>, 'status' | 'error_code'>): ErrorKind | undefined {
  const status = response.status;
  if (status === 502 || status === 503 || status === 504) return 'http_5xx';
  if (status !== 0) return undefined;
  switch (response.error_code) {
    case 1212:
      return 'refused';
    case 1201:
    case 1220:
      return 'reset';
    case 1050:
    case 1211:
      return 'timeout';
    case 1100:
    case 1101:
      return 'dns';
    default:
      return 'network';
  }
}

/** A WebSocket dial error as k6 reports it (the Go error's text), as a kind; undefined for a handshake the backend answered. */
export function socketErrorKind(text: string): ErrorKind | undefined {
  if (text.includes('connection refused')) return 'refused';
  if (text.includes('connection reset') || text.includes('broken pipe') || text.includes('EOF')) return 'reset';
  if (text.includes('timeout')) return 'timeout';
  if (text.includes('no such host')) return 'dns';
  if (text.includes('bad handshake')) return undefined;
  return 'network';
}

let failuresInARow = 0;
/** When this VU's current run of transport errors began (ms since the epoch), if it is in one. */
let downSince: number | undefined;

/**
 * Counts an error by kind; a transport error also lengthens this VU's back-off. Where the ledger
 * is there, the summary gets the counts by kind, and each VU's spans of nothing but transport
 * errors, from which it finds the outage windows: `vu since at kind`, then `vu since at up`.
 */
export function recordError(kind: ErrorKind, tags: Record<string, string>): void {
  agentErrors.add(1, { ...tags, kind });
  ledger?.count('errors', kind);
  if (!TRANSPORT.has(kind)) return;
  failuresInARow++;
  const now = Date.now();
  downSince ??= now;
  ledger?.add('outages', `${exec.vu.idInTest} ${downSince} ${now} ${kind}`);
}

/** The backend answered: the back-off starts over, and this VU's outage, if any, ends now. */
export function recordReachable(): void {
  failuresInARow = 0;
  if (downSince === undefined) return;
  ledger?.add('outages', `${exec.vu.idInTest} ${downSince} ${Date.now()} up`);
  downSince = undefined;
}

/** For HTTP responses: counts a transport error, or notes that the backend answered. */
export function recordHttp(response: Pick<RefinedResponse<'text'>, 'status' | 'error_code'>, tags: Record<string, string>): void {
  const kind = httpErrorKind(response);
  if (kind) recordError(kind, tags);
  else recordReachable();
}

/**
 * Called at the start of each iteration: after transport errors, wait before trying again, with
 * exponential back-off and full jitter (250 ms, 500 ms, 1 s, … capped at BACKOFF_MAX_MS), so a
 * backend that is down is not hammered by every VU, and one that comes back is not stormed.
 */
export async function backOff(config: Config): Promise<void> {
  if (failuresInARow === 0) return;
  const ceiling = Math.min(config.backoffMaxMs, 250 * 2 ** Math.min(failuresInARow - 1, 16));
  // Full jitter: the VUs spread their retries, so the first one finds a backend that came back soon after it did.
  await wait(Math.random() * ceiling);
}
