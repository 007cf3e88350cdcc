import type { IncomingHttpHeaders } from 'node:http';

/** The status line and headers of the server's answer to the upgrade request. */
export interface ResponseHead {
  status: number;
  statusText: string;
  /** As Node gives them: names in lower case, repeated headers joined with ", ", set-cookie as a list. */
  headers: IncomingHttpHeaders;
  /** What came after the head in the same chunks: the first frames, on a 101 answer. */
  rest: Buffer;
}

/** Node's own limit on a response head (http's maxHeaderSize). */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Reads the HTTP/1.1 response head from the socket's chunks, however they are split. Informational answers other
 * than 101 (100 Continue, 103 Early Hints) are skipped, as Node's http client does. A malformed or oversized head
 * throws an error shaped as Node's parser errors (a `code` of HPE_…).
 */
export class ResponseHeadReader {
  private pending: Buffer | undefined;

  /** The head once it is complete; undefined while more bytes are needed. */
  push(chunk: Buffer): ResponseHead | undefined {
    let data = chunk;
    if (this.pending !== undefined) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    for (;;) {
      const end = headEnd(data);
      if (end < 0) {
        if (data.length > MAX_HEAD_BYTES) throw parseError('HPE_HEADER_OVERFLOW', 'Header overflow');
        // Copied: the chunk may be a view of memory the caller reuses.
        if (data.length > 0) this.pending = Buffer.from(data);
        return undefined;
      }
      if (end > MAX_HEAD_BYTES) throw parseError('HPE_HEADER_OVERFLOW', 'Header overflow');
      const head = parseHead(data.toString('latin1', 0, end), data.subarray(end));
      if (head.status === 101 || head.status < 100 || head.status >= 200) return head;
      data = head.rest;
    }
  }
}

/** The index just after the blank line that ends the head, -1 when it has not arrived. Bare LFs are accepted. */
function headEnd(data: Buffer): number {
  const crlf = data.indexOf('\r\n\r\n');
  if (crlf >= 0 && data.lastIndexOf('\n\n', crlf) < 0) return crlf + 4;
  const lf = data.indexOf('\n\n');
  return lf >= 0 ? lf + 2 : -1;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CR = 13;

/** The head's text ends with its blank line: every line, the last included, ends with LF (CRLF mostly). */
function parseHead(text: string, rest: Buffer): ResponseHead {
  let lineEnd = text.indexOf('\n');
  const status = STATUS_LINE.exec(text.slice(0, contentEnd(text, 0, lineEnd)));
  if (status === null) throw parseError('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/');
  const headers: IncomingHttpHeaders = {};
  for (let start = lineEnd + 1; start < text.length; start = lineEnd + 1) {
    lineEnd = text.indexOf('\n', start);
    const end = contentEnd(text, start, lineEnd);
    if (end === start) continue;
    const colon = text.indexOf(':', start);
    const name = colon > start && colon < end ? text.slice(start, colon) : '';
    if (!HEADER_NAME.test(name)) throw parseError('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
    addHeader(headers, name.toLowerCase(), text.slice(colon + 1, end).trim());
  }
  return { status: Number(status[1]), statusText: status[2] ?? '', headers, rest };
}

/** Where the line from `start` to its LF at `lineEnd` ends, without its CR. */
function contentEnd(text: string, start: number, lineEnd: number): number {
  return lineEnd > start && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
}

function addHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  if (name === 'set-cookie') {
    (headers['set-cookie'] ??= []).push(value);
    return;
  }
  const existing = headers[name];
  headers[name] = existing === undefined ? value : `${String(existing)}, ${value}`;
}

function parseError(code: string, reason: string): Error {
  return Object.assign(new Error(`Parse Error: ${reason}`), { code });
}
