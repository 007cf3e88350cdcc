import { CookieStore, type CookieToStore } from './cookie-store.ts';

export const COOKIE_STORE: unique symbol = Symbol('agent-sla.cookie-store');

/** k6's http.CookieJar: what `new http.CookieJar()` makes and http.cookieJar() returns. */
export class CookieJar {
  readonly [COOKIE_STORE] = new CookieStore();

  /** `{ name: [value, …] }` of the cookies the jar would send to `url`. */
  cookiesForURL(url: unknown): Record<string, string[]> {
    const cookies: Record<string, string[]> = {};
    for (const { name, value } of this[COOKIE_STORE].cookiesFor(parseJarUrl(url))) (cookies[name] ??= []).push(value);
    return cookies;
  }

  /** Sets a cookie as if `url` had answered with it; options: domain, path, expires, max_age, secure, http_only. */
  set(url: unknown, name: unknown, value: unknown, options?: unknown): boolean {
    const cookie: CookieToStore = { name: String(name), value: String(value), domain: '', path: '', secure: false, httpOnly: false, maxAge: 0, expires: 0 };
    if (typeof options === 'object' && options !== null) {
      for (const [key, option] of Object.entries(options)) applyOption(cookie, key.toLowerCase(), option);
    }
    this[COOKIE_STORE].store(parseJarUrl(url), [cookie]);
    return true;
  }

  /** Removes every cookie the jar would send to `url`. */
  clear(url: unknown): boolean {
    this[COOKIE_STORE].remove(parseJarUrl(url));
    return true;
  }

  /** Removes the cookie `name` the jar would send to `url`. */
  delete(url: unknown, name: unknown): boolean {
    this[COOKIE_STORE].remove(parseJarUrl(url), String(name));
    return true;
  }
}

function applyOption(cookie: CookieToStore, key: string, option: unknown): void {
  switch (key) {
    case 'domain':
      cookie.domain = String(option);
      return;
    case 'path':
      cookie.path = String(option);
      return;
    case 'secure':
      cookie.secure = Boolean(option);
      return;
    case 'http_only':
      cookie.httpOnly = Boolean(option);
      return;
    case 'max_age':
      cookie.maxAge = Math.trunc(Number(option)) || 0;
      return;
    case 'expires': {
      const text = String(option);
      if (text === '') return;
      const time = Date.parse(text);
      if (Number.isNaN(time)) throw new Error(`unable to parse "expires" date string "${text}"`);
      cookie.expires = time;
      return;
    }
  }
}

function parseJarUrl(url: unknown): URL {
  const text = String(url);
  try {
    return new URL(text);
  } catch {
    throw new Error(`invalid URL "${text}" for the cookie jar`);
  }
}
