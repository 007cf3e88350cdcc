import { isIP } from 'node:net';
import { unescape } from 'node:querystring';

/** Where a ws:// or wss:// URL connects, and what its upgrade request asks for. */
export interface SocketTarget {
  secure: boolean;
  /** The host to connect to: a name, or an IP address without brackets. */
  host: string;
  port: number;
  /** For TLS: the SNI name; '' for an IP address, which SNI does not carry. */
  servername: string;
  /** The request line: `GET /path?query HTTP/1.1` and its line end. */
  requestLine: string;
  /** The Host header's value: the port only when it is not the scheme's default; IPv6 in brackets. */
  hostHeader: string;
  /** Basic credentials from the URL's user and password (percent-decoded, as ws sends them), if any. */
  authorization: string | undefined;
}

const MAX_CACHED = 256;
const cache = new Map<string, SocketTarget>();

/**
 * The target of a URL params.ts has already checked. Worked out once per URL: a test opens its sockets to a few
 * URLs over and over, and parsing one costs about as much as the rest of the handshake's request.
 */
export function socketTarget(url: string): SocketTarget {
  let target = cache.get(url);
  if (target === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    target = parseTarget(new URL(url));
    cache.set(url, target);
  }
  return target;
}

function parseTarget(url: URL): SocketTarget {
  const secure = url.protocol === 'wss:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const hasCredentials = url.username !== '' || url.password !== '';
  return Object.freeze({
    secure,
    host,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    servername: isIP(host) === 0 ? host : '',
    requestLine: `GET ${url.pathname}${url.search} HTTP/1.1\r\n`,
    hostHeader: url.host,
    authorization: hasCredentials ? `Basic ${Buffer.from(`${unescape(url.username)}:${unescape(url.password)}`).toString('base64')}` : undefined,
  });
}
