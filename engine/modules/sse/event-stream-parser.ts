/** One dispatched Server-Sent Event. */
export interface ParsedEvent {
  /** The `event:` field, "message" when the event had none. */
  name: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen on the stream so far, "" if none. */
  id: string;
  /** ms since the epoch when the blank line that dispatched the event was read. */
  receivedAt: number;
}

/** One line is bounded, so that a stream that never sends a newline cannot grow memory without end. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

export class EventStreamError extends Error {}
export const UNTERMINATED = 'the stream ended inside an event (a field line without the blank line that dispatches it)';
export const LINE_TOO_LONG = `a line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/**
 * The WHATWG event-stream format, as far as a load test needs it: data, event and id fields, comments, lines ended
 * by LF, CRLF or CR, a leading BOM, and a blank line to dispatch. `retry` is ignored: the stream is never reopened.
 * Bytes are fed as they arrive; a line split across chunks is kept until its end comes, so UTF-8 is decoded whole.
 */
export class EventStreamParser {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private firstLine = true;
  /** The previous line ended with CR: a LF right after it belongs to the same line end. */
  private afterCR = false;
  private data = '';
  private hasData = false;
  private name = '';
  private lastId = '';
  /** A field line came since the last blank line. */
  private pending = false;

  constructor(
    private readonly onEvent: (event: ParsedEvent) => void,
    private readonly clock: () => number,
  ) {}

  /** Parses a chunk, calling onEvent for each event it completes. Throws EventStreamError for a line too long. */
  push(chunk: Buffer): void {
    let start = 0;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (byte !== LF && byte !== CR) continue;
      if (byte === LF && this.afterCR && index === start && this.carryBytes === 0) {
        this.afterCR = false;
        start = index + 1;
        continue;
      }
      this.afterCR = byte === CR;
      this.line(this.lineBytes(chunk, start, index));
      start = index + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** The stream ended cleanly: throws EventStreamError if it stopped inside an event. */
  end(): void {
    if (this.carryBytes > 0 || this.pending) throw new EventStreamError(UNTERMINATED);
  }

  private keep(rest: Buffer): void {
    this.carryBytes += rest.length;
    if (this.carryBytes > MAX_LINE_BYTES) throw new EventStreamError(LINE_TOO_LONG);
    // A copy: the chunk's memory is not held for a line that may take long to finish.
    this.carry.push(Buffer.from(rest));
  }

  private lineBytes(chunk: Buffer, start: number, end: number): Buffer {
    if (this.carryBytes === 0) return chunk.subarray(start, end);
    this.carry.push(chunk.subarray(start, end));
    const line = Buffer.concat(this.carry);
    this.carry = [];
    this.carryBytes = 0;
    if (line.length > MAX_LINE_BYTES) throw new EventStreamError(LINE_TOO_LONG);
    return line;
  }

  private line(line: Buffer): void {
    let from = 0;
    if (this.firstLine) {
      this.firstLine = false;
      if (line.length >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) from = 3;
    }
    if (from === line.length) return this.dispatch();
    if (line[from] === COLON) return;
    this.pending = true;
    const colon = line.indexOf(COLON, from);
    const nameEnd = colon < 0 ? line.length : colon;
    let valueStart = colon < 0 ? line.length : colon + 1;
    if (valueStart < line.length && line[valueStart] === SPACE) valueStart++;
    const field = line.toString('latin1', from, nameEnd);
    if (field === 'data') {
      const value = line.toString('utf8', valueStart);
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    } else if (field === 'event') {
      this.name = line.toString('utf8', valueStart);
    } else if (field === 'id') {
      if (line.indexOf(0, valueStart) < 0) this.lastId = line.toString('utf8', valueStart);
    }
  }

  /** A blank line: like a browser, an event that carried no data line is not dispatched. */
  private dispatch(): void {
    const event = this.hasData ? { name: this.name || 'message', data: this.data, id: this.lastId, receivedAt: this.clock() } : undefined;
    this.data = '';
    this.hasData = false;
    this.name = '';
    this.pending = false;
    if (event) this.onEvent(event);
  }
}
