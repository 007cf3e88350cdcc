import type http from 'node:http';
import { decodable, decodeBody } from './compression.ts';
import { classifyNetworkError, statusErrorCode, type K6Error } from './error-codes.ts';
import type { Exchange } from './exchange.ts';
import type { RequestPlan } from './request-plan.ts';
import { RequestRecord } from './request-record.ts';
import { cookiesByName, responseHeaders } from './response-headers.ts';
import { Response, type Timings } from './response.ts';
import type { ResponseCookie } from './set-cookie.ts';

/** The last answer's headers and body, the body decoded. */
export interface ReadAnswer {
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/**
 * Reads the answer of the last hop: its headers, and its body decoded as its Content-Encoding says. When the engine
 * asked for gzip itself, the decoded answer loses Content-Encoding and Content-Length, as Go's transport does.
 */
export async function readAnswer(answer: http.IncomingMessage, body: Buffer | undefined, acceptGzip: boolean): Promise<ReadAnswer | K6Error> {
  const headers = responseHeaders(answer.rawHeaders);
  const encoding = headers['Content-Encoding'];
  if (body === undefined || body.length === 0 || encoding === undefined || !decodable(encoding)) return { headers, body };
  const decoded = await decodeBody(body, encoding);
  if (!Buffer.isBuffer(decoded)) return decoded;
  if (acceptGzip && encoding === 'gzip') {
    delete headers['Content-Encoding'];
    delete headers['Content-Length'];
  }
  return { headers, body: decoded };
}

/** What the last hop of a request left. */
export interface LastHop {
  exchange: Exchange;
  timings: Timings;
  method: string;
  /** The URL of the last hop: Response.url. */
  url: string;
  tagUrl: string;
  /** The Cookie header of the first hop: Response.request. */
  firstCookieHeader: string;
  error: K6Error | undefined;
  read: ReadAnswer | undefined;
  setCookies: readonly ResponseCookie[];
}

export interface RequestOutcome {
  response: Response;
  /** When the request got no HTTP answer: the error as k6 logs or throws it (`Get "url": dial: …`). */
  failure: string | undefined;
}

/** k6's Response for a request, from its last hop. */
export function finalResponse(plan: RequestPlan, last: LastHop): RequestOutcome {
  const { exchange } = last;
  const response = new Response(last.url, new RequestRecord(plan.method, plan.urlText, plan.headers, plan.body, last.firstCookieHeader));
  response.timings = last.timings;
  response.remote_ip = exchange.remoteAddress;
  response.remote_port = exchange.remotePort;
  const answer = exchange.response;
  if (last.error !== undefined || last.read === undefined || answer === undefined) {
    const failure = last.error ?? classifyNetworkError(new Error('no response'));
    response.error = failure.message;
    response.error_code = failure.code;
    return { response, failure: `${goMethodName(last.method)} "${last.tagUrl}": ${failure.message}` };
  }
  const status = answer.statusCode ?? 0;
  const body = last.read.body;
  response.status = status;
  response.status_text = answer.statusMessage ? `${status} ${answer.statusMessage}` : String(status);
  response.proto = `HTTP/${answer.httpVersion}`;
  response.headers = last.read.headers;
  response.cookies = cookiesByName(last.setCookies);
  response.tls_version = exchange.tlsVersion;
  response.tls_cipher_suite = exchange.tlsCipher;
  response.error_code = statusErrorCode(status);
  response.body = plan.responseType === 'none' ? null : plan.responseType === 'binary' ? arrayBufferOf(body) : (body?.toString('utf8') ?? '');
  return { response, failure: undefined };
}

/** Go names a request's method like this in its errors: `Get "http://…": …`. */
function goMethodName(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}

function arrayBufferOf(bytes: Buffer | undefined): ArrayBuffer {
  if (bytes === undefined) return new ArrayBuffer(0);
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
}
