import http, { type RefinedResponse, type RequestBody } from 'k6/http';
import type { Config } from './config.ts';
import { recordHttp } from './availability.ts';

export interface RequestOptions {
  /** The `name` tag, e.g. "POST /auth/login": bounded, never a raw URL with ids. */
  name: string;
  token?: string;
  /** Statuses that count as success for k6's http_req_failed, e.g. [401] for a refusal check. */
  expect?: number[];
  query?: string;
}

function params(config: Config, options: RequestOptions, tags: Record<string, string>) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  return {
    headers,
    timeout: `${config.httpTimeoutMs}ms`,
    tags: { ...tags, name: options.name },
    ...(options.expect ? { responseCallback: http.expectedStatuses(...options.expect) } : {}),
  };
}

export async function postJson(config: Config, path: string, body: unknown, options: RequestOptions, tags: Record<string, string> = {}): Promise<RefinedResponse<'text'>> {
  const response = await http.asyncRequest('POST', `${config.baseUrl}${path}`, JSON.stringify(body) as RequestBody, params(config, options, tags));
  recordHttp(response, tags);
  return response;
}

export async function getJson(config: Config, path: string, options: RequestOptions, tags: Record<string, string> = {}): Promise<RefinedResponse<'text'>> {
  // A PATH_* may carry its own query string.
  const query = options.query ? `${path.includes('?') ? '&' : '?'}${options.query}` : '';
  const response = await http.asyncRequest('GET', `${config.baseUrl}${path}${query}`, null, params(config, options, tags));
  recordHttp(response, tags);
  return response;
}

/** The parsed JSON body as T when it is an object, undefined otherwise (never throws). */
export function bodyOf<T>(response: RefinedResponse<'text'>): T | undefined {
  if (typeof response.body !== 'string' || response.body === '') return undefined;
  try {
    const value: unknown = JSON.parse(response.body);
    return typeof value === 'object' && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
