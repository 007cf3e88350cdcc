import type { VuContext } from '../../runtime/vu-context.ts';
import { ConnectionPool } from './connection-pool.ts';
import { CookieJar } from './cookie-jar.ts';
import { DEFAULT_EXPECTED_STATUSES, type ResponseCallback } from './expected-statuses.ts';
import { HostsOverride } from './hosts-override.ts';
import { INIT_JAR_ERROR, INIT_REQUEST_ERROR } from './http-errors.ts';
import { registerHttpMetrics, type HttpMetrics } from './http-metrics.ts';
import { InFlightRequests } from './in-flight.ts';
import { ABORTED, performRequest, type RequestContext } from './perform-request.ts';
import { PlanError, planRequest, type PlanContext, type RequestPlan } from './request-plan.ts';
import { RequestRecord } from './request-record.ts';
import { Response } from './response.ts';

/** The k6/http state of one VU: its connections, cookie jar, response callback and metrics. */
export class HttpClient implements PlanContext, RequestContext {
  responseCallback: ResponseCallback = DEFAULT_EXPECTED_STATUSES;
  private connections: ConnectionPool | undefined;
  private hostsOverride: HostsOverride | undefined;
  private requests: InFlightRequests | undefined;
  private httpMetrics: HttpMetrics | undefined;
  private jar: CookieJar | undefined;
  private jarStage = '';
  private jarIteration = -1;

  constructor(readonly vu: VuContext) {}

  // Made on the first request: a VU that never sends one (most VUs of a WebSocket test) keeps none of them.
  get pool(): ConnectionPool {
    return (this.connections ??= new ConnectionPool(this.vu));
  }

  get hosts(): HostsOverride {
    return (this.hostsOverride ??= new HostsOverride(this.vu.options.hosts));
  }

  get inFlight(): InFlightRequests {
    return (this.requests ??= new InFlightRequests(this.vu));
  }

  /** Closes the VU's kept-alive connections, if it opened any. */
  closeConnections(): void {
    this.connections?.close();
  }

  metrics(): HttpMetrics {
    return (this.httpMetrics ??= registerHttpMetrics(this.vu));
  }

  /** The VU's cookie jar: each iteration starts with an empty one, as in k6 (unless options.noCookiesReset). */
  activeJar(): CookieJar {
    const stage = this.vu.stage();
    if (stage === 'init') throw new Error(INIT_JAR_ERROR);
    const iteration = this.vu.options.raw.noCookiesReset === true ? -1 : this.vu.execution.iterationInInstance;
    if (this.jar === undefined || stage !== this.jarStage || iteration !== this.jarIteration) {
      this.jar = new CookieJar();
      this.jarStage = stage;
      this.jarIteration = iteration;
    }
    return this.jar;
  }

  /** http.request / asyncRequest and every method shortcut. */
  request(method: unknown, url: unknown, body: unknown, params: unknown): Promise<Response> {
    if (this.vu.stage() === 'init') return Promise.reject(new Error(INIT_REQUEST_ERROR));
    let plan: RequestPlan;
    try {
      plan = this.plan(method, url, body, params);
    } catch (error) {
      return this.refused(error, url, 'Request Failed');
    }
    return this.send(plan);
  }

  plan(method: unknown, url: unknown, body: unknown, params: unknown): RequestPlan {
    return planRequest(this, String(method).toUpperCase(), url, body, params);
  }

  /**
   * A request k6 refuses before sending: with options.throw the error is thrown; otherwise it is logged and the
   * response carries it.
   */
  refused(error: unknown, url: unknown, logMessage: string): Promise<Response> {
    if (!(error instanceof PlanError) || this.vu.options.throw) return Promise.reject(error instanceof PlanError ? new Error(error.message) : error);
    this.vu.log('warn', `${logMessage} error=${JSON.stringify(error.message)}`);
    return Promise.resolve(errorResponse(url, error));
  }

  /** Sends a planned request, holding the VU's event loop until it is done. */
  async send(plan: RequestPlan): Promise<Response> {
    const release = this.vu.hold();
    try {
      const outcome = await performRequest(this, plan);
      // The iteration was interrupted: like k6's stopped JavaScript, the code awaiting this never resumes.
      if (outcome === ABORTED) return new Promise<Response>(() => {});
      if (outcome.failure !== undefined) {
        if (plan.throws) throw new Error(outcome.failure);
        this.vu.log('warn', `Request Failed error=${JSON.stringify(outcome.failure)}`);
      }
      return outcome.response;
    } finally {
      // After the callbacks chained on this response have run: a hold released now would let the iteration end
      // before an un-awaited asyncRequest's .then() ran, where k6's event loop runs it.
      setImmediate(release);
    }
  }
}

/** The response of a request that was never sent. */
export function errorResponse(url: unknown, error: PlanError): Response {
  const text = typeof url === 'string' ? url : String(url);
  const response = new Response(text, new RequestRecord('', text, {}, undefined, ''));
  response.error = error.message;
  response.error_code = error.code;
  return response;
}
