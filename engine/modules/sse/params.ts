import type { TestOptions } from '../../options/test-options.ts';
import { parseDuration } from '../../options/duration.ts';
import type { StreamRequest } from './read-stream.ts';

/** k6/http's default request timeout. */
const DEFAULT_TIMEOUT_MS = 60_000;
const KNOWN = 'method, headers, body, timeout, tags';

/** sse.open(url, params) checked: the request, and params.tags (values as strings). */
export function parseOpen(options: TestOptions, url: unknown, params: unknown): { request: StreamRequest; tags: Record<string, string> } {
  if (url === undefined || url === null) throw new Error('sse.open needs a URL');
  const text = String(url);
  if (!/^https?:$/.test(protocolOf(text))) throw new Error(`sse.open needs an http or https URL, got ${JSON.stringify(text)}`);
  const request: StreamRequest = {
    method: 'POST',
    url: text,
    headers: {},
    body: Buffer.alloc(0),
    timeoutMs: DEFAULT_TIMEOUT_MS,
    rejectUnauthorized: !options.insecureSkipTLSVerify,
    reuseConnections: !options.noConnectionReuse,
  };
  if (options.userAgent !== '') setHeader(request.headers, 'User-Agent', options.userAgent);
  setHeader(request.headers, 'Accept', 'text/event-stream');
  const tags: Record<string, string> = {};
  if (params === undefined || params === null) return { request, tags };
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    applyParam(request, tags, key, value);
  }
  return { request, tags };
}

function applyParam(request: StreamRequest, tags: Record<string, string>, key: string, value: unknown): void {
  switch (key) {
    case 'method':
      request.method = String(value).toUpperCase();
      return;
    case 'headers':
      for (const [name, header] of Object.entries(value as Record<string, unknown>)) setHeader(request.headers, name, String(header));
      return;
    case 'body':
      if (typeof value === 'string') request.body = Buffer.from(value, 'utf8');
      else if (value instanceof ArrayBuffer) request.body = Buffer.from(value.slice(0));
      else throw new TypeError(`sse.open: body must be a string or an ArrayBuffer, got ${describeType(value)}`);
      return;
    case 'timeout': {
      const timeout = parseDuration(value);
      if (timeout === undefined || !(timeout > 0)) throw new Error(`sse.open: timeout must be a positive duration such as '90s' or a number of ms, got ${String(value)}`);
      request.timeoutMs = timeout;
      return;
    }
    case 'tags':
      for (const [name, tag] of Object.entries(value as Record<string, unknown>)) {
        if (typeof tag !== 'string' && typeof tag !== 'number' && typeof tag !== 'boolean') {
          throw new TypeError(`sse.open: invalid tags: invalid value for metric tag '${name}': only String, Boolean and Number types are accepted as a metric tag value`);
        }
        tags[name] = String(tag);
      }
      return;
    default:
      throw new Error(`sse.open: unknown option ${JSON.stringify(key)} (known: ${KNOWN})`);
  }
}

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/** Header names are case-insensitive: the last one set wins, whatever its case. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === lower) delete headers[existing];
  headers[name] = value;
}

function describeType(value: unknown): string {
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value === 'object' ? (value?.constructor?.name ?? 'object') : typeof value;
}
