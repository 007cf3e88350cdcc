// agent-sla/sse, a module of agent-sla's engine (engine/modules/sse): a streaming HTTP request whose
// Server-Sent Events reach the script one by one. A stock k6 has no such module.
declare module 'agent-sla/sse' {
  export interface OpenParams {
    /** Default POST. */
    method?: string;
    /** Accept defaults to text/event-stream, User-Agent to k6's. */
    headers?: Record<string, string>;
    body?: string | ArrayBuffer;
    /** For the whole stream, from the request to its end: '90s', or a number of ms. Default 60s. */
    timeout?: string | number;
    /** Tags for the stream's http_reqs sample; `name` also replaces the url tag. */
    tags?: Record<string, string>;
  }

  interface BaseEvent {
    /** Milliseconds since the epoch, with sub-millisecond precision, taken by the engine as the bytes are read. */
    timestamp: number;
  }

  /** The response headers arrived with a 2xx status and Content-Type text/event-stream. */
  export interface OpenEvent extends BaseEvent {
    type: 'open';
    status: number;
    /** Canonical header names (Content-Type); repeated headers joined with ", ". */
    headers: Record<string, string>;
  }

  /** One dispatched event; timestamp is when the blank line that ended it was read. */
  export interface MessageEvent extends BaseEvent {
    type: 'event';
    /** The `event:` field, "message" when the event had none. */
    name: string;
    /** The `data:` lines joined with "\n". */
    data: string;
    /** The last `id:` seen on the stream, "" if none. */
    id: string;
  }

  export type ErrorKind = 'connect' | 'status' | 'timeout' | 'malformed' | 'network';

  /** The stream failed; a close event follows. */
  export interface ErrorEvent extends BaseEvent {
    type: 'error';
    kind: ErrorKind;
    /** The HTTP status when a response arrived, else 0. */
    status: number;
    /** Starts with the kind, the method and the URL, e.g. "status error: POST http://… answered 503 …". */
    error: string;
  }

  /** Always the last event of a stream, exactly once. */
  export interface CloseEvent extends BaseEvent {
    type: 'close';
    /** end: the server ended the stream; closed: stream.close() was called; error: see the error event. */
    reason: 'end' | 'closed' | 'error';
    /** How many events reached the script. */
    events: number;
  }

  export interface EventMap {
    open: OpenEvent;
    event: MessageEvent;
    error: ErrorEvent;
    close: CloseEvent;
  }

  export interface Stream {
    readonly url: string;
    /** A listener that throws closes the stream and fails the iteration. */
    addEventListener<K extends keyof EventMap>(type: K, listener: (event: EventMap[K]) => void): void;
    /** Stops reading; events not yet delivered are dropped and the close event says "closed". */
    close(): void;
  }

  /** Sends the request and returns at once; the iteration lasts until the stream's close event. */
  export function open(url: string, params?: OpenParams): Stream;

  const sse: { open: typeof open };
  export default sse;
}
