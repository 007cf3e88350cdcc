import { canonicalHeaderKey } from './canonical-header.ts';
import { parseSetCookie, type ResponseCookie } from './set-cookie.ts';

/** Response.headers from Node's raw header list: canonical names, repeated headers joined with ", " as k6 does. */
export function responseHeaders(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = canonicalHeaderKey(raw[i]!);
    const value = raw[i + 1]!;
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  return headers;
}

/** The cookies a response sets, each Set-Cookie header on its own (they cannot be split once joined). */
export function responseCookies(raw: readonly string[]): ResponseCookie[] {
  let cookies: ResponseCookie[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 10 || name.toLowerCase() !== 'set-cookie') continue;
    const cookie = parseSetCookie(raw[i + 1]!);
    if (cookie) (cookies ??= []).push(cookie);
  }
  return cookies ?? [];
}

/** Response.cookies: `{ name: [cookie, …] }`. */
export function cookiesByName(cookies: readonly ResponseCookie[]): Record<string, ResponseCookie[]> {
  const byName: Record<string, ResponseCookie[]> = {};
  for (const cookie of cookies) (byName[cookie.name] ??= []).push(cookie);
  return byName;
}
