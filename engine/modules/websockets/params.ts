import type { TestOptions } from '../../options/test-options.ts';

/** What `new WebSocket(url, protocols, params)` asks for, checked. */
export interface SocketRequest {
  /** The URL as the script wrote it: the `url` property and the `url` tag. */
  url: string;
  protocols: string[];
  /** The handshake's headers: User-Agent first, the script's params.headers over it, cookies from params.jar. */
  headers: Record<string, string>;
  /** params.tags, values as strings. */
  tags: Record<string, string>;
  /** params.compression: 'deflate' asks for permessage-deflate without context takeover. */
  compression: boolean;
}

export function parseSocketRequest(options: TestOptions, url: unknown, protocols: unknown, params: unknown): SocketRequest {
  const request: SocketRequest = { url: checkedUrl(url), protocols: protocolList(protocols), headers: {}, tags: {}, compression: false };
  if (options.userAgent !== '') request.headers['User-Agent'] = options.userAgent;
  if (params === undefined || params === null) return request;
  if (typeof params !== 'object') throw new TypeError('WebSocket params must be an object');
  for (const [key, value] of Object.entries(params)) {
    switch (key) {
      case 'headers':
        if (value !== undefined && value !== null) setHeaders(request.headers, value as Record<string, unknown>);
        break;
      case 'tags':
        applyUserTags(request.tags, value);
        break;
      case 'jar':
        addJarCookies(request, value);
        break;
      case 'compression': {
        const algorithm = String(value).trim();
        if (algorithm !== 'deflate') throw new Error(`unsupported compression algorithm '${algorithm}', supported algorithm is 'deflate'`);
        request.compression = true;
        break;
      }
      default:
        throw new Error(`unknown WebSocket's option ${key}`);
    }
  }
  return request;
}

function checkedUrl(url: unknown): string {
  if (url === undefined || url === null) throw new TypeError('WebSocket requires a url');
  const text = String(url);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch (error) {
    throw new SyntaxError(`WebSocket requires valid url, but got ${JSON.stringify(text)} which resulted in ${(error as Error).message}`);
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'ws' && scheme !== 'wss') throw new SyntaxError(`WebSocket requires url with scheme ws or wss, but got ${JSON.stringify(scheme)}`);
  if (parsed.hash !== '') throw new SyntaxError(`WebSocket requires no url fragment, but got ${JSON.stringify(parsed.hash.slice(1))}`);
  return text;
}

function protocolList(protocols: unknown): string[] {
  if (protocols === undefined || protocols === null) return [];
  if (typeof protocols === 'string') return [protocols];
  if (Array.isArray(protocols)) return protocols.map(String);
  return [];
}

/** Header names are case-insensitive: a script's header replaces a default of the same name in any case. */
function setHeaders(headers: Record<string, string>, extra: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === lower) delete headers[existing];
    headers[name] = String(value);
  }
}

/** k6 accepts strings, numbers and booleans as tag values. */
function applyUserTags(tags: Record<string, string>, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object') throw new TypeError('invalid WebSocket tags option: tags must be an object');
  for (const [name, tag] of Object.entries(value)) {
    if (typeof tag !== 'string' && typeof tag !== 'number' && typeof tag !== 'boolean') {
      throw new TypeError(`invalid WebSocket tags option: invalid value for metric tag '${name}': only String, Boolean and Number types are accepted`);
    }
    tags[name] = String(tag);
  }
}

interface CookieJarLike {
  cookiesForURL(url: string): Record<string, string[] | string>;
}

/** params.jar: an http.CookieJar. Its cookies for the http(s) form of the URL go into the Cookie header. */
function addJarCookies(request: SocketRequest, jar: unknown): void {
  if (jar === undefined || jar === null) return;
  if (typeof (jar as Partial<CookieJarLike>).cookiesForURL !== 'function') return;
  const httpUrl = request.url.replace(/^ws/i, 'http');
  const pairs: string[] = [];
  for (const [name, values] of Object.entries((jar as CookieJarLike).cookiesForURL(httpUrl))) {
    for (const value of Array.isArray(values) ? values : [values]) pairs.push(`${name}=${value}`);
  }
  if (pairs.length === 0) return;
  const existing = Object.keys(request.headers).find((name) => name.toLowerCase() === 'cookie');
  if (existing) request.headers[existing] = `${request.headers[existing]}; ${pairs.join('; ')}`;
  else request.headers.Cookie = pairs.join('; ');
}
