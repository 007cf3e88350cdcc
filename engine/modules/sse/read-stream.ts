import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { now } from '../../runtime/vu.ts';
import { formatDuration } from '../../options/duration.ts';
import { EventStreamError, EventStreamParser, type ParsedEvent } from './event-stream-parser.ts';
import { describeNetworkError, quoted, StreamFailure } from './stream-failure.ts';

/** One streaming request, as the script asked for it. */
export interface StreamRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** For the whole stream, from sending the request to its last event. */
  timeoutMs: number;
  rejectUnauthorized: boolean;
  /** false: a fresh connection for this stream (noConnectionReuse). */
  reuseConnections: boolean;
}

/** How a stream ended: the server ended it, the caller cancelled it, or it failed. */
export type StreamEnd = { reason: 'end' } | { reason: 'closed' } | { reason: 'error'; failure: StreamFailure };

/** Receives what a stream produces, in order. ended() is called exactly once, last. */
export interface StreamSink {
  opened(status: number, headers: Record<string, string>, at: number): void;
  received(event: ParsedEvent): void;
  ended(end: StreamEnd, at: number, bytes: { sent: number; received: number }): void;
}

/** A status answer's body is read this far, for the error message. */
const STATUS_BODY_BYTES = 512;

/**
 * Sends the request and feeds the sink until the stream ends, fails, times out or is cancelled. Every event is
 * parsed and handed over in the 'data' callback that read it, with the time its blank line was read.
 */
export class StreamReader {
  private readonly request: ClientRequest;
  private response: IncomingMessage | undefined;
  private readonly timer: NodeJS.Timeout;
  private done = false;
  /** Events parsed so far, delivered or not: the count the error messages give. */
  private count = 0;
  private socket: Socket | undefined;
  private bytesBefore = { sent: 0, received: 0 };

  constructor(
    private readonly spec: StreamRequest,
    private readonly sink: StreamSink,
  ) {
    const send = spec.url.startsWith('https:') ? httpsRequest : httpRequest;
    const options = { method: spec.method, headers: spec.headers, rejectUnauthorized: spec.rejectUnauthorized, ...(spec.reuseConnections ? {} : { agent: false }) };
    this.request = send(spec.url, options);
    this.request.on('socket', (socket) => {
      this.socket = socket;
      this.bytesBefore = { sent: socket.bytesWritten, received: socket.bytesRead };
    });
    this.request.on('response', (response) => this.onResponse(response));
    this.request.on('error', (error) => {
      if (this.response) this.broke(this.response.statusCode ?? 0, error.message);
      else this.fail(new StreamFailure('connect', 0, `${this.target}: cannot connect: ${describeNetworkError(error)}`));
    });
    this.timer = setTimeout(() => this.onTimeout(), spec.timeoutMs);
    this.request.end(spec.body);
  }

  /** Stops reading; the sink hears "closed". Does nothing once the stream has ended. */
  cancel(): void {
    this.finish({ reason: 'closed' });
  }

  private get target(): string {
    return `${this.spec.method} ${this.spec.url}`;
  }

  private onResponse(response: IncomingMessage): void {
    this.response = response;
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) return this.readStatusBody(response, status);
    const contentType = response.headers['content-type'] ?? '';
    if (mediaType(contentType) !== 'text/event-stream') {
      return this.fail(new StreamFailure('malformed', status, `${this.target} answered Content-Type ${JSON.stringify(contentType)}, not text/event-stream`));
    }
    this.sink.opened(status, canonicalHeaders(response), now());
    const parser = new EventStreamParser((event) => this.onEvent(event), now);
    response.on('data', (chunk: Buffer) => {
      if (this.done) return;
      try {
        parser.push(chunk);
      } catch (error) {
        this.failParsing(error, status);
      }
    });
    response.on('end', () => {
      if (this.done) return;
      try {
        parser.end();
        this.finish({ reason: 'end' });
      } catch (error) {
        this.failParsing(error, status);
      }
    });
    response.on('error', (error) => this.broke(status, error.message === 'aborted' ? 'unexpected EOF' : error.message));
    response.on('close', () => this.broke(status, 'unexpected EOF'));
  }

  private onEvent(event: ParsedEvent): void {
    if (this.done) return;
    this.count++;
    this.sink.received(event);
  }

  private readStatusBody(response: IncomingMessage, status: number): void {
    const chunks: Buffer[] = [];
    let length = 0;
    const answer = (): void => {
      const head = Buffer.concat(chunks).subarray(0, STATUS_BODY_BYTES);
      this.fail(new StreamFailure('status', status, `${this.target} answered ${status} ${response.statusMessage ?? ''}: ${quoted(head)}`));
    };
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= STATUS_BODY_BYTES) answer();
    });
    response.on('end', answer);
    response.on('error', answer);
    response.on('close', answer);
  }

  private onTimeout(): void {
    const message = `${this.target}: the stream was still open after ${formatDuration(this.spec.timeoutMs)} (${this.count} events received)`;
    this.fail(new StreamFailure('timeout', 0, message));
  }

  private failParsing(error: unknown, status: number): void {
    if (!(error instanceof EventStreamError)) throw error;
    this.fail(new StreamFailure('malformed', status, `${this.target}: malformed stream after ${this.count} events: ${error.message}`));
  }

  private broke(status: number, cause: string): void {
    this.fail(new StreamFailure('network', status, `${this.target}: the connection broke after ${this.count} events: ${cause}`));
  }

  private fail(failure: StreamFailure): void {
    this.finish({ reason: 'error', failure });
  }

  private finish(end: StreamEnd): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    const at = now();
    const bytes = this.bytes();
    if (end.reason !== 'end') {
      this.response?.destroy();
      this.request.destroy();
    }
    this.sink.ended(end, at, bytes);
  }

  private bytes(): { sent: number; received: number } {
    if (!this.socket) return { sent: 0, received: 0 };
    return { sent: this.socket.bytesWritten - this.bytesBefore.sent, received: this.socket.bytesRead - this.bytesBefore.received };
  }
}

/** "text/event-stream; charset=utf-8" → "text/event-stream". */
function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Header names as Go writes them (Content-Type), repeated headers joined with ", ". */
function canonicalHeaders(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(response.headersDistinct)) {
    if (values === undefined) continue;
    headers[name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())] = values.join(', ');
  }
  return headers;
}
