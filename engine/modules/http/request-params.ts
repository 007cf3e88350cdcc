import { parseDuration } from '../../options/duration.ts';
import { canonicalHeaderKey } from './canonical-header.ts';
import { compressBody, parseCompression, type Coding } from './compression.ts';
import { COOKIE_STORE, CookieJar } from './cookie-jar.ts';
import { toResponseCallback } from './expected-statuses.ts';
import { PlanError } from './plan-error.ts';
import type { RequestPlan, ResponseType } from './request-plan.ts';

const RESPONSE_TYPES: readonly string[] = ['text', 'binary', 'none'];

/** Applies k6's Params to a plan (headers, tags, cookies, jar, timeout, redirects, …); returns params.auth. */
export function applyParams(plan: RequestPlan, params: Record<string, unknown>): string {
  let auth = '';
  let codings: Coding[] = [];
  for (const key of Object.keys(params)) {
    const value = params[key];
    switch (key) {
      case 'headers':
        if (typeof value === 'object' && value !== null) applyHeaders(plan, value as Record<string, unknown>);
        break;
      case 'tags':
        if (typeof value === 'object' && value !== null) {
          plan.tags = {};
          for (const [name, tag] of Object.entries(value)) plan.tags[name] = String(tag);
        }
        break;
      case 'cookies':
        if (typeof value === 'object' && value !== null) applyCookies(plan, value as Record<string, unknown>);
        break;
      case 'jar':
        if (value instanceof CookieJar) plan.jar = value[COOKIE_STORE];
        break;
      case 'timeout': {
        const timeout = parseDuration(value);
        if (timeout === undefined) throw new PlanError(`invalid timeout value: ${JSON.stringify(value)} is not a duration`, 0);
        plan.timeoutMs = timeout;
        break;
      }
      case 'redirects':
        plan.maxRedirects = Math.trunc(Number(value)) || 0;
        plan.redirectsFromParams = true;
        break;
      case 'responseType': {
        const type = String(value);
        if (!RESPONSE_TYPES.includes(type)) throw new PlanError(`${type} does not belong to ResponseType values`, 0);
        plan.responseType = type as ResponseType;
        break;
      }
      case 'responseCallback':
        plan.callback = toResponseCallback(value, 'unsupported responseCallback');
        break;
      case 'throw':
        plan.throws = Boolean(value);
        break;
      case 'auth':
        auth = String(value);
        break;
      case 'compression':
        codings = parseCompression(value);
        break;
    }
  }
  if (codings.length > 0 && plan.body !== undefined) {
    const compressed = compressBody(plan.body, codings);
    plan.body = compressed.data;
    plan.headers['Content-Encoding'] ??= compressed.encoding;
  }
  return auth;
}

function applyHeaders(plan: RequestPlan, headers: Record<string, unknown>): void {
  for (const name of Object.keys(headers)) {
    const value = String(headers[name]);
    const canonical = canonicalHeaderKey(name);
    if (canonical === 'Host') plan.hostHeader = value;
    else if (canonical === 'Cookie') plan.cookieHeader = value;
    else plan.headers[canonical] = value;
  }
}

function applyCookies(plan: RequestPlan, cookies: Record<string, unknown>): void {
  for (const name of Object.keys(cookies)) {
    const cookie = cookies[name];
    if (cookie === undefined || cookie === null) continue;
    if (typeof cookie === 'object') {
      const { value, replace } = cookie as { value?: unknown; replace?: unknown };
      plan.cookies.push({ name, value: value === undefined ? '' : String(value), replace: Boolean(replace) });
    } else {
      plan.cookies.push({ name, value: String(cookie), replace: false });
    }
  }
}
