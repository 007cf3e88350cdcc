import type { ConnectionPool } from './connection-pool.ts';
import type { HopRequest } from './exchange.ts';
import type { HostsOverride } from './hosts-override.ts';
import type { RequestPlan } from './request-plan.ts';

/** Go sends `Content-Length: 0` for these methods without a body; others send no length when they have none. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** What one hop of a request sends where: the URL's host or its options.hosts override, and the headers on the wire. */
export function hopRequest(
  pool: ConnectionPool,
  hosts: HostsOverride,
  plan: RequestPlan,
  url: URL,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: string | Buffer | undefined,
  extra: { cookie: string; authorization: string | undefined; acceptGzip: boolean },
): HopRequest {
  const tls = url.protocol === 'https:';
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const override = hosts.empty ? undefined : hosts.resolve(hostname, port);
  const wire: Record<string, string> = { Host: plan.hostHeader !== undefined && url.host === plan.url.host ? plan.hostHeader : url.host, ...headers };
  if (extra.cookie !== '') wire.Cookie = extra.cookie;
  if (extra.authorization !== undefined) wire.Authorization = extra.authorization;
  // Go's transport asks for gzip itself when the script did not choose, and decodes the answer (Response.headers then
  // lose Content-Encoding), without showing the header in Response.request.headers.
  if (extra.acceptGzip) wire['Accept-Encoding'] = 'gzip';
  const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (length > 0 || BODY_METHODS.has(method)) wire['Content-Length'] = String(length);
  return {
    tls,
    agent: pool.agent(tls),
    host: override?.host ?? hostname,
    port: override?.port ?? port,
    servername: override !== undefined && !/^[\d.]+$|:/.test(hostname) ? hostname : undefined,
    method,
    path: `${url.pathname}${url.search}`,
    headers: wire,
    body: length > 0 ? body : undefined,
    keepBody: plan.responseType !== 'none',
  };
}

/** The Cookie header of a hop: the script's own (first hop only), params.cookies, then the jar's unless replaced. */
export function cookieHeaderFor(plan: RequestPlan, url: URL, firstHop: boolean): string {
  const parts: string[] = [];
  if (firstHop && plan.cookieHeader !== '') parts.push(plan.cookieHeader);
  let replaced: Set<string> | undefined;
  for (const cookie of plan.cookies) {
    parts.push(`${cookie.name}=${cookie.value}`);
    if (cookie.replace) (replaced ??= new Set()).add(cookie.name);
  }
  if (plan.jar.size > 0) {
    for (const cookie of plan.jar.cookiesFor(url)) if (!replaced?.has(cookie.name)) parts.push(`${cookie.name}=${cookie.value}`);
  }
  return parts.join('; ');
}
