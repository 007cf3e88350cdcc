import { isIP } from 'node:net';
import type { ResponseCookie } from './set-cookie.ts';

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  hostOnly: boolean;
  secure: boolean;
  httpOnly: boolean;
  /** ms since the epoch; undefined for a session cookie. */
  expires: number | undefined;
  created: number;
  sequence: number;
}

/** The part of a cookie a jar needs to store it (Set-Cookie, or CookieJar.set()). */
export type CookieToStore = Pick<ResponseCookie, 'name' | 'value' | 'domain' | 'path' | 'secure' | 'httpOnly' | 'maxAge' | 'expires'>;

/**
 * Cookies by domain, path and name, with RFC 6265's matching rules as Go's net/http/cookiejar applies them
 * without a public-suffix list: host-only cookies, domain and path matching, expiry, secure only over https.
 */
export class CookieStore {
  private readonly cookies = new Map<string, StoredCookie>();
  private sequence = 0;

  /** Stores the cookies a response to `url` set; an expired or Max-Age<=0 cookie deletes the stored one. */
  store(url: URL, cookies: readonly CookieToStore[]): void {
    const host = hostOf(url);
    const now = Date.now();
    for (const cookie of cookies) {
      const domain = cookieDomain(host, cookie.domain);
      if (domain === undefined) continue;
      const path = cookie.path.startsWith('/') ? cookie.path : defaultPath(url.pathname);
      const key = `${domain.value};${path};${cookie.name}`;
      const expires = expiryOf(cookie, now);
      if (expires === 'delete') {
        this.cookies.delete(key);
        continue;
      }
      const previous = this.cookies.get(key);
      this.cookies.set(key, {
        name: cookie.name,
        value: cookie.value,
        domain: domain.value,
        path,
        hostOnly: domain.hostOnly,
        secure: cookie.secure,
        httpOnly: cookie.httpOnly,
        expires,
        created: previous?.created ?? now,
        sequence: previous?.sequence ?? this.sequence++,
      });
    }
  }

  /** The cookies to send to `url`, longest path first, then oldest first (RFC 6265 5.4). */
  cookiesFor(url: URL): Array<{ name: string; value: string }> {
    if (this.cookies.size === 0) return [];
    const host = hostOf(url);
    const https = url.protocol === 'https:';
    const path = url.pathname === '' ? '/' : url.pathname;
    const now = Date.now();
    const selected: StoredCookie[] = [];
    for (const [key, cookie] of this.cookies) {
      if (cookie.expires !== undefined && cookie.expires <= now) {
        this.cookies.delete(key);
        continue;
      }
      if (cookie.secure && !https) continue;
      if (!(cookie.hostOnly ? host === cookie.domain : domainMatches(host, cookie.domain))) continue;
      if (!pathMatches(path, cookie.path)) continue;
      selected.push(cookie);
    }
    selected.sort((a, b) => b.path.length - a.path.length || a.created - b.created || a.sequence - b.sequence);
    return selected.map(({ name, value }) => ({ name, value }));
  }

  /** Removes the cookies that would be sent to `url` (all of them, or those named `name`). */
  remove(url: URL, name?: string): void {
    const host = hostOf(url);
    const path = url.pathname === '' ? '/' : url.pathname;
    for (const [key, cookie] of this.cookies) {
      if (name !== undefined && cookie.name !== name) continue;
      if (!(cookie.hostOnly ? host === cookie.domain : domainMatches(host, cookie.domain))) continue;
      if (pathMatches(path, cookie.path)) this.cookies.delete(key);
    }
  }

  get size(): number {
    return this.cookies.size;
  }
}

function hostOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

function cookieDomain(host: string, attribute: string): { value: string; hostOnly: boolean } | undefined {
  if (attribute === '') return { value: host, hostOnly: true };
  let domain = attribute.toLowerCase();
  if (domain.startsWith('.')) domain = domain.slice(1);
  if (domain === '' || domain.endsWith('.')) return undefined;
  if (isIP(host) !== 0) return domain === host ? { value: host, hostOnly: true } : undefined;
  if (domain !== host && !host.endsWith(`.${domain}`)) return undefined;
  return { value: domain, hostOnly: false };
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && isIP(host) === 0);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 5.1.4: the directory of the request path. */
function defaultPath(path: string): string {
  if (!path.startsWith('/')) return '/';
  const slash = path.lastIndexOf('/');
  return slash === 0 ? '/' : path.slice(0, slash);
}

function expiryOf(cookie: CookieToStore, now: number): number | undefined | 'delete' {
  if (cookie.maxAge < 0) return 'delete';
  if (cookie.maxAge > 0) return now + cookie.maxAge * 1000;
  if (cookie.expires === 0) return undefined;
  return cookie.expires <= now ? 'delete' : cookie.expires;
}
