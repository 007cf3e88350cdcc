/**
 * The HTTP side of the InfluxDB output, through @influxdata/influxdb-client's transport: InfluxDB 1.8+ takes the
 * v2 write API at /api/v2/write with bucket "db" or "db/rp" and the token "user:pass". CREATE DATABASE goes to the
 * 1.x /query endpoint, which takes the same token.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AbortError, HttpError, InfluxDB, RequestTimedOutError } from '@influxdata/influxdb-client';
import type { InfluxConfig } from './influxdb-config.ts';
import { writePrecisionOf } from './influxdb-lines.ts';

/** Bodies above this many bytes are sent gzipped. */
const GZIP_THRESHOLD = 1000;

export type FailureKind = 'unreachable' | 'unauthorized' | 'refused';

/** Why a request failed, as one line without credentials. */
export class InfluxRequestError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

export class InfluxWriter {
  private readonly client: InfluxDB;
  private readonly agent: HttpAgent;
  private readonly writePath: string;

  constructor(
    private readonly config: InfluxConfig,
    requestTimeoutMs: number,
  ) {
    const token = config.username !== undefined || config.password !== undefined ? `${config.username ?? ''}:${config.password ?? ''}` : undefined;
    const secure = new URL(config.proxy ?? config.addr).protocol === 'https:';
    // Our own agent, so that stop() can close its kept-alive sockets.
    this.agent = secure ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: !config.insecure }) : new HttpAgent({ keepAlive: true });
    this.client = new InfluxDB({
      url: config.addr,
      timeout: requestTimeoutMs,
      ...(token !== undefined ? { token } : {}),
      ...(config.proxy !== undefined ? { proxyUrl: config.proxy } : {}),
      transportOptions: { agent: this.agent, ...(config.insecure ? { rejectUnauthorized: false } : {}) },
    });
    const bucket = config.retention === '' ? config.db : `${config.db}/${config.retention}`;
    this.writePath = `/api/v2/write?${new URLSearchParams({ bucket, precision: writePrecisionOf(config.precision) })}`;
  }

  /** CREATE DATABASE, as k6 does at start; a database that exists already is no error. */
  async createDatabase(signal: AbortSignal): Promise<void> {
    const body = new URLSearchParams({ q: `CREATE DATABASE ${quoteIdentifier(this.config.db)}` }).toString();
    await this.request('/query', body, 'application/x-www-form-urlencoded', signal);
  }

  /** Writes line-protocol lines (one request). */
  async write(lines: string, signal: AbortSignal): Promise<void> {
    await this.request(this.writePath, lines, 'text/plain; charset=utf-8', signal);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async request(path: string, body: string, contentType: string, signal: AbortSignal): Promise<void> {
    // The client never removes the listener it adds to a request's signal: each request gets a signal of its own,
    // so that the long-lived one does not collect a listener per write.
    const own = new AbortController();
    const cancel = (): void => own.abort();
    if (signal.aborted) own.abort();
    else signal.addEventListener('abort', cancel, { once: true });
    try {
      await this.client.transport.request(path, body, { method: 'POST', headers: { 'content-type': contentType }, gzipThreshold: GZIP_THRESHOLD, signal: own.signal });
    } catch (error) {
      throw this.describe(error);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  private describe(error: unknown): InfluxRequestError {
    if (error instanceof HttpError) {
      const kind = error.statusCode === 401 ? 'unauthorized' : 'refused';
      return new InfluxRequestError(kind, this.redact(`HTTP ${error.statusCode}: ${serverMessage(error.body) || error.statusMessage || 'no message'}`));
    }
    if (error instanceof RequestTimedOutError) return new InfluxRequestError('unreachable', 'no answer within the request timeout');
    if (error instanceof AbortError) return new InfluxRequestError('unreachable', 'request cancelled');
    return new InfluxRequestError('unreachable', this.redact(networkMessage(error)));
  }

  private redact(text: string): string {
    const password = this.config.password;
    // A very short password would match ordinary text; the client never echoes it anyway.
    return password && password.length >= 3 ? text.split(password).join('***') : text;
  }
}

/** Node reports a refused dial to a name with two addresses as an AggregateError with an empty message. */
function networkMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return [...new Set(error.errors.map(networkMessage))].join('; ');
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/** InfluxDB answers {"error":"…"}; the bare message reads better in one line. */
function serverMessage(body: string | undefined): string {
  if (!body) return '';
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: the body itself
  }
  return body.trim().slice(0, 200);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
