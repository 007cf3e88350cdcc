import type { VuContext } from '../../runtime/vu-context.ts';
import { COOKIE_STORE, type CookieJar } from './cookie-jar.ts';
import type { CookieStore } from './cookie-store.ts';
import type { DigestCredentials } from './digest-auth.ts';
import type { ResponseCallback } from './expected-statuses.ts';
import { PlanError } from './plan-error.ts';
import { encodeBody } from './request-body.ts';
import { applyParams } from './request-params.ts';
import { parseTarget } from './request-target.ts';

export { PlanError } from './plan-error.ts';

export type ResponseType = 'text' | 'binary' | 'none';
const DEFAULT_TIMEOUT_MS = 60_000;

/** A request cookie from params.cookies; `replace` keeps the jar's cookie of that name from being sent too. */
export interface ParamsCookie {
  name: string;
  value: string;
  replace: boolean;
}

/** Everything a request needs, read once from the script's arguments. */
export interface RequestPlan {
  method: string;
  /** The URL to request, credentials removed. */
  url: URL;
  /** The URL as the script gave it (Response.url and Response.request.url). */
  urlText: string;
  /** The URL with credentials masked, for the url and name tags. */
  tagUrl: string;
  /** The http.url template, when it differs from the URL. */
  templateName: string | undefined;
  /** Canonical names: User-Agent, Content-Type, params.headers (Host and Cookie apart), Content-Encoding. */
  headers: Record<string, string>;
  hostHeader: string | undefined;
  /** A Cookie header the script set itself; the jar's cookies are added to it. */
  cookieHeader: string;
  /** `Authorization: Basic …` from credentials in the URL, sent with the first hop unless the script set one. */
  basicAuth: string | undefined;
  digest: DigestCredentials | undefined;
  body: string | Buffer | undefined;
  timeoutMs: number;
  responseType: ResponseType;
  maxRedirects: number;
  /** Whether params.redirects set the limit (k6 warns about a stopped chain only when it did not). */
  redirectsFromParams: boolean;
  callback: ResponseCallback;
  jar: CookieStore;
  cookies: ParamsCookie[];
  tags: Record<string, string> | undefined;
  throws: boolean;
}

/** What a plan takes from the VU's module instance. */
export interface PlanContext {
  readonly vu: VuContext;
  readonly responseCallback: ResponseCallback;
  activeJar(): CookieJar;
}

/** Reads a request from the script's arguments as k6 does; throws PlanError for what k6 refuses. */
export function planRequest(context: PlanContext, method: string, url: unknown, body: unknown, params: unknown): RequestPlan {
  const { vu } = context;
  const options = vu.options;
  const target = parseTarget(url);
  let encoded;
  try {
    encoded = encodeBody(body);
  } catch (error) {
    throw refused(error);
  }
  const headers: Record<string, string> = {};
  if (encoded?.contentType !== undefined) headers['Content-Type'] = encoded.contentType;
  if (options.userAgent !== '') headers['User-Agent'] = options.userAgent;
  const plan: RequestPlan = {
    method,
    url: target.url,
    urlText: target.text,
    tagUrl: target.tagUrl,
    templateName: target.templateName,
    headers,
    hostHeader: undefined,
    cookieHeader: '',
    basicAuth: undefined,
    digest: undefined,
    body: encoded?.data,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    responseType: options.discardResponseBodies ? 'none' : 'text',
    maxRedirects: options.maxRedirects,
    redirectsFromParams: false,
    callback: context.responseCallback,
    jar: context.activeJar()[COOKIE_STORE],
    cookies: [],
    tags: undefined,
    throws: options.throw,
  };
  let auth = '';
  if (typeof params === 'object' && params !== null) {
    try {
      auth = applyParams(plan, params as Record<string, unknown>);
    } catch (error) {
      throw refused(error);
    }
  }
  applyCredentials(plan, target.username, target.password, auth);
  checkContentLength(vu, plan);
  return plan;
}

/** What reading the arguments threw, as a refused request (k6 gives such errors no code), not a script error. */
function refused(error: unknown): PlanError {
  return error instanceof PlanError ? error : new PlanError(error instanceof Error ? error.message : String(error), 0);
}

function applyCredentials(plan: RequestPlan, username: string, password: string, auth: string): void {
  if (auth === 'ntlm') throw new PlanError('auth "ntlm" is not supported by agent-sla', 0);
  if (username === '' && password === '') return;
  const user = decodeURIComponent(username);
  const secret = decodeURIComponent(password);
  if (auth === 'digest') plan.digest = { username: user, password: secret };
  else if (plan.headers.Authorization === undefined) plan.basicAuth = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/** k6 computes Content-Length itself and ignores the script's, with a warning when they differ. */
function checkContentLength(vu: VuContext, plan: RequestPlan): void {
  const given = plan.headers['Content-Length'];
  if (given === undefined) return;
  delete plan.headers['Content-Length'];
  const length = plan.body === undefined ? 0 : typeof plan.body === 'string' ? Buffer.byteLength(plan.body) : plan.body.length;
  if (Number(given) !== length) {
    vu.log('warn', `The specified Content-Length header "${given}" in the ${plan.method} request for ${plan.tagUrl} doesn't match the actual request body length of ${length}, so it will be ignored!`);
  }
}
