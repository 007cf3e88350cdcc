import type { VuContext } from '../../runtime/vu-context.ts';
import type { ConnectionPool } from './connection-pool.ts';
import { digestAuthorization } from './digest-auth.ts';
import { REQUEST_TIMEOUT, classifyNetworkError, statusErrorCode, type K6Error } from './error-codes.ts';
import { finalResponse, readAnswer, type ReadAnswer, type RequestOutcome } from './final-response.ts';
import { cookieHeaderFor, hopRequest } from './hop-request.ts';
import { hopTags } from './hop-tags.ts';
import type { HostsOverride } from './hosts-override.ts';
import type { InFlightRequests } from './in-flight.ts';
import { emitHop, type HttpMetrics } from './http-metrics.ts';
import { cleanUrl } from './http-url.ts';
import { redirectHeaders, redirectOf, type RedirectHop } from './redirects.ts';
import type { RequestPlan } from './request-plan.ts';
import { RequestRun, onRequestTimeout } from './request-run.ts';
import { responseCookies } from './response-headers.ts';

export type { RequestOutcome } from './final-response.ts';

/** What a request needs from its VU's module instance. */
export interface RequestContext {
  readonly vu: VuContext;
  readonly pool: ConnectionPool;
  readonly hosts: HostsOverride;
  readonly inFlight: InFlightRequests;
  metrics(): HttpMetrics;
}

/** The VU was interrupted while the request was in flight: the iteration is over, nothing is reported. */
export const ABORTED: unique symbol = Symbol('agent-sla.http-aborted');

/**
 * Makes a request as k6 does: every hop of a redirect chain (and a digest challenge) is its own request on the wire
 * with its own samples; params.timeout bounds the whole chain; the response describes the last hop.
 */
export async function performRequest(context: RequestContext, plan: RequestPlan): Promise<RequestOutcome | typeof ABORTED> {
  const run = new RequestRun();
  if (!context.inFlight.add(run)) return ABORTED;
  const timer = setTimeout(onRequestTimeout, plan.timeoutMs, run);
  try {
    return await runHops(context, plan, run);
  } finally {
    clearTimeout(timer);
    context.inFlight.delete(run);
  }
}

async function runHops(context: RequestContext, plan: RequestPlan, run: RequestRun): Promise<RequestOutcome | typeof ABORTED> {
  const { vu } = context;
  const initialHost = plan.url.hostname.toLowerCase();
  // Go's transport asks for gzip itself when the script did not choose an encoding.
  const acceptGzip = plan.headers['Accept-Encoding'] === undefined && plan.headers.Range === undefined && plan.method !== 'HEAD';
  let url = plan.url;
  let method = plan.method;
  let body = plan.body;
  let headers: Readonly<Record<string, string>> = plan.headers;
  let tagUrl = plan.tagUrl;
  let responseUrl = plan.urlText;
  let authorization = plan.basicAuth;
  let digestSent = false;
  let redirects = 0;
  let firstCookieHeader: string | undefined;

  for (;;) {
    const cookie = cookieHeaderFor(plan, url, firstCookieHeader === undefined);
    firstCookieHeader ??= cookie;
    const exchange = await run.send(hopRequest(context.pool, context.hosts, plan, url, method, headers, body, { cookie, authorization, acceptGzip }));
    if (run.aborted) return ABORTED;

    const answer = exchange.error === undefined ? exchange.response : undefined;
    let error: K6Error | undefined = exchange.error === undefined ? undefined : run.timedOut ? REQUEST_TIMEOUT : classifyNetworkError(exchange.error);
    const status = answer?.statusCode ?? 0;
    let digestRetry: string | undefined;
    let next: RedirectHop | undefined;
    if (answer !== undefined) {
      if (plan.digest !== undefined && !digestSent && status === 401) {
        digestRetry = digestAuthorization(String(answer.headers['www-authenticate'] ?? ''), plan.digest, method, `${url.pathname}${url.search}`);
      }
      const redirect = digestRetry === undefined ? redirectOf(status, answer.headers.location, url, method) : undefined;
      if (redirect !== undefined && redirects < plan.maxRedirects) next = redirect;
      else if (redirect !== undefined && !plan.redirectsFromParams) {
        vu.log('warn', `Stopped after ${redirects + 1} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects to silence this url=${plan.tagUrl}`);
      }
    }

    let read: ReadAnswer | undefined;
    if (answer !== undefined && digestRetry === undefined && next === undefined) {
      const result = await readAnswer(answer, exchange.body, acceptGzip);
      if (run.aborted) return ABORTED;
      if ('headers' in result) read = result;
      else error = result;
    }

    // A digest challenge is the expected first answer, whatever the callback says.
    const expected = plan.callback === null ? undefined : digestRetry !== undefined || plan.callback.match(error === undefined ? status : 0);
    const timings = exchange.timings();
    const tags = hopTags(vu, plan.tags, {
      method,
      url: tagUrl,
      templateName: plan.templateName,
      status,
      proto: answer === undefined ? '' : `HTTP/${answer.httpVersion}`,
      error,
      statusErrorCode: statusErrorCode(status),
      tlsVersion: exchange.tlsVersion,
      remoteIp: exchange.remoteAddress,
      expected,
    });
    const time = performance.timeOrigin + exchange.endedAt;
    emitHop(vu, context.metrics(), { tags, timings, failed: expected === undefined ? undefined : !expected, bytesSent: exchange.bytesSent, bytesReceived: exchange.bytesReceived, time });
    const setCookies = answer === undefined ? [] : responseCookies(answer.rawHeaders);
    if (setCookies.length > 0) plan.jar.store(url, setCookies);

    if (digestRetry !== undefined) {
      authorization = digestRetry;
      digestSent = true;
    } else if (next !== undefined) {
      headers = redirectHeaders(plan.headers, initialHost, url, next.url, next.keepBody);
      if (!next.keepBody) body = undefined;
      method = next.method;
      url = next.url;
      tagUrl = cleanUrl(next.url.href);
      responseUrl = next.url.href;
      authorization = undefined;
      redirects++;
    } else {
      return finalResponse(plan, { exchange, timings, method, url: responseUrl, tagUrl, firstCookieHeader, error, read, setCookies });
    }
  }
}
