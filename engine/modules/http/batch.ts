import { BatchLimiter } from './batch-limiter.ts';
import { describeType } from './file-data.ts';
import { errorResponse, type HttpClient } from './http-client.ts';
import { INIT_BATCH_ERROR } from './http-errors.ts';
import { HttpUrl } from './http-url.ts';
import { PlanError, type RequestPlan } from './request-plan.ts';
import { Response } from './response.ts';
import { RequestRecord } from './request-record.ts';

type BatchResult = Response[] | Record<string, Response>;

/**
 * http.batch(): an array or an object of requests (a URL, `[method, url, body, params]` or `{method, url, body,
 * params}`), sent in parallel within options.batch and options.batchPerHost; the responses come back in the same shape.
 */
export async function runBatch(client: HttpClient, requests: unknown, extra: number): Promise<BatchResult> {
  if (client.vu.stage() === 'init') throw new Error(INIT_BATCH_ERROR);
  if (requests === undefined && extra === 0) throw new Error('no argument was provided to http.batch()');
  if (extra > 0) throw new Error('http.batch() accepts only an array or an object of requests');
  if (typeof requests !== 'object' || requests === null) throw new Error(`invalid http.batch() argument type ${describeType(requests)}`);
  const keys = Array.isArray(requests) ? requests.map((_, index) => index) : Object.keys(requests);
  const entries = requests as Record<string | number, unknown>;
  const results: Response[] = keys.map(() => new Response('', new RequestRecord('', '', {}, undefined, '')));

  const plans: RequestPlan[] = [];
  for (let i = 0; i < keys.length; i++) {
    try {
      plans.push(planEntry(client, keys[i]!, entries[keys[i]!]));
    } catch (error) {
      if (!(error instanceof PlanError) || client.vu.options.throw) throw error instanceof PlanError ? new Error(error.message) : error;
      client.vu.log('warn', `A batch request failed error=${JSON.stringify(error.message)}`);
      results[i] = errorResponse(entries[keys[i]!], error);
      return shape(requests, keys, results);
    }
  }

  const limiter = new BatchLimiter(client.vu.options.batch, client.vu.options.batchPerHost);
  let firstError: unknown;
  await Promise.all(
    plans.map(async (plan, index) => {
      const host = plan.url.host;
      await limiter.acquire(host);
      try {
        results[index] = await client.send(plan);
      } catch (error) {
        firstError ??= error;
      } finally {
        limiter.release(host);
      }
    }),
  );
  if (firstError !== undefined) throw firstError;
  return shape(requests, keys, results);
}

function planEntry(client: HttpClient, key: string | number, entry: unknown): RequestPlan {
  if (typeof entry === 'string' || entry instanceof HttpUrl) return client.plan('GET', entry, undefined, undefined);
  if (Array.isArray(entry)) {
    if (entry.length < 2) throw new PlanError(`invalid batch request '${JSON.stringify(entry)}'`, 0);
    if (typeof entry[0] !== 'string') throw new PlanError(`invalid method type '${String(entry[0])}'`, 0);
    return client.plan(entry[0], entry[1], entry[2], entry[3]);
  }
  if (typeof entry === 'object' && entry !== null) {
    const { method, url, body, params } = entry as { method?: unknown; url?: unknown; body?: unknown; params?: unknown };
    if (!('url' in entry)) throw new PlanError(`batch request ${key} doesn't have a url key`, 0);
    if (method !== undefined && typeof method !== 'string') throw new PlanError(`invalid method type '${String(method)}'`, 0);
    const verb = method === undefined ? 'GET' : method.toUpperCase();
    return client.plan(verb, url, verb === 'GET' || verb === 'HEAD' ? undefined : body, params);
  }
  return client.plan('GET', entry, undefined, undefined);
}

function shape(requests: object, keys: ReadonlyArray<string | number>, results: Response[]): BatchResult {
  if (Array.isArray(requests)) return results;
  const byName: Record<string, Response> = {};
  keys.forEach((key, index) => (byName[key] = results[index]!));
  return byName;
}
