import type { TagSet } from '../../metrics/types.ts';
import type { MetricRef, VuContext } from '../../runtime/vu-context.ts';
import type { ParsedEvent } from './event-stream-parser.ts';
import { parseOpen } from './params.ts';
import { StreamReader, type StreamEnd, type StreamSink } from './read-stream.ts';
import type { FailureKind } from './stream-failure.ts';

/** The events of a stream, as lib/k6-sse.d.ts declares them; timestamps are ms since the epoch. */
export type StreamEventMap = {
  open: { type: 'open'; timestamp: number; status: number; headers: Record<string, string> };
  event: { type: 'event'; timestamp: number; name: string; data: string; id: string };
  error: { type: 'error'; timestamp: number; kind: FailureKind; status: number; error: string };
  close: { type: 'close'; timestamp: number; reason: StreamEnd['reason']; events: number };
};
export type StreamEventType = keyof StreamEventMap;
const EVENT_TYPES: readonly StreamEventType[] = ['open', 'event', 'error', 'close'];
type AnyStreamEvent = StreamEventMap[StreamEventType];
type Listener = (event: AnyStreamEvent) => unknown;

/** What the streams of one VU share: the metrics, registered on the first stream. */
export class VuStreams {
  private registered: { requests: MetricRef; dataSent: MetricRef; dataReceived: MetricRef } | undefined;

  constructor(readonly vu: VuContext) {}

  get metrics(): { requests: MetricRef; dataSent: MetricRef; dataReceived: MetricRef } {
    return (this.registered ??= {
      requests: this.vu.metric('http_reqs', 'counter'),
      dataSent: this.vu.metric('data_sent', 'counter', 'data'),
      dataReceived: this.vu.metric('data_received', 'counter', 'data'),
    });
  }
}

/**
 * The object sse.open() returns: a streaming request whose events reach the script one by one through listeners
 * ('open', 'event', 'error', 'close'). It holds the VU's event loop until its close event, which always comes last,
 * exactly once. Listeners run through vu.dispatch(); one that throws ends the iteration, and the stream with it.
 */
export class Stream {
  readonly url: string;
  readonly #state: StreamState;

  constructor(streams: VuStreams, url: unknown, params?: unknown) {
    if (streams.vu.stage() === 'init') throw new Error('sse.open can only be called in a VU, not in the init context');
    const { request, tags } = parseOpen(streams.vu.options, url, params);
    this.url = request.url;
    this.#state = new StreamState(streams, tags, request.method, request.url);
    this.#state.start(new StreamReader(request, this.#state));
  }

  addEventListener<K extends StreamEventType>(type: K, listener: (event: StreamEventMap[K]) => unknown): void;
  addEventListener(type: string, listener: unknown): void;
  addEventListener(type: string, listener: unknown): void {
    if (typeof listener !== 'function') throw new TypeError(`addEventListener(${JSON.stringify(type)}, …) needs a function`);
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      throw new Error(`unknown stream event ${JSON.stringify(type)}, the known ones are ${EVENT_TYPES.join(', ')}`);
    }
    this.#state.add(type as StreamEventType, listener as Listener);
  }

  /** Stops reading; events not yet delivered are dropped and the close event says "closed". */
  close(): void {
    this.#state.close();
  }
}

class StreamState implements StreamSink {
  private readonly vu: VuContext;
  private readonly vuTags: TagSet;
  private readonly tags: Record<string, string>;
  private listeners: Partial<Record<StreamEventType, Listener[]>> | undefined;
  private reader: StreamReader | undefined;
  private release: (() => void) | undefined;
  private signal: AbortSignal | undefined;
  /** Events that reached the script: the close event's `events`. */
  private delivered = 0;
  /** close() was called: later events are dropped. */
  private closing = false;
  /** A listener threw, or the VU stopped listening: nothing more reaches the script. */
  private silenced = false;
  private pendingType: StreamEventType = 'open';
  private pendingEvent: AnyStreamEvent | undefined;

  constructor(
    private readonly streams: VuStreams,
    userTags: Record<string, string>,
    method: string,
    url: string,
  ) {
    this.vu = streams.vu;
    this.vuTags = this.vu.tags();
    this.tags = requestTags(this.vu, this.vuTags, userTags, method, url);
  }

  start(reader: StreamReader): void {
    this.reader = reader;
    this.release = this.vu.hold();
    this.signal = this.vu.signal;
    this.signal.addEventListener('abort', this.onAbort);
  }

  add(type: StreamEventType, listener: Listener): void {
    ((this.listeners ??= {})[type] ??= []).push(listener);
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.reader?.cancel();
  }

  // StreamSink: what the reader reports, in order ---------------------------------------------------------------------

  opened(status: number, headers: Record<string, string>, at: number): void {
    this.countRequest(status, at);
    this.deliver('open', { type: 'open', timestamp: at, status, headers });
  }

  received(event: ParsedEvent): void {
    if (this.closing || this.silenced) return;
    this.delivered++;
    this.deliver('event', { type: 'event', timestamp: event.receivedAt, name: event.name, data: event.data, id: event.id });
  }

  ended(end: StreamEnd, at: number, bytes: { sent: number; received: number }): void {
    const metrics = this.streams.metrics;
    if (bytes.sent > 0) this.vu.emit(metrics.dataSent, bytes.sent, this.vuTags, at);
    if (bytes.received > 0) this.vu.emit(metrics.dataReceived, bytes.received, this.vuTags, at);
    // A response that came, but not as a stream, is still a request.
    if (end.reason === 'error' && end.failure.status !== 0) this.countRequest(end.failure.status, at);
    // close() may be called from a listener: the close event then comes after that listener has returned.
    if (this.closing) setImmediate(() => this.deliverEnd(end, at));
    else this.deliverEnd(end, at);
  }

  private deliverEnd(end: StreamEnd, at: number): void {
    if (end.reason === 'error') {
      const { kind, status, message } = end.failure;
      this.deliver('error', { type: 'error', timestamp: at, kind, status, error: message });
    }
    this.deliver('close', { type: 'close', timestamp: at, reason: end.reason, events: this.delivered });
    this.finish();
  }

  // Delivery --------------------------------------------------------------------------------------------------------

  private deliver<K extends StreamEventType>(type: K, event: StreamEventMap[K]): void {
    if (this.silenced || !this.listeners?.[type]?.length) return;
    this.pendingType = type;
    this.pendingEvent = event;
    this.vu.dispatch(this.callListeners);
  }

  /** One function per stream for every dispatch: no closure per event. */
  private readonly callListeners = (): void => {
    const event = this.pendingEvent!;
    const list = this.listeners?.[this.pendingType] ?? [];
    const count = list.length;
    this.pendingEvent = undefined;
    try {
      for (let index = 0; index < count; index++) {
        const result = list[index]!.call(undefined, event);
        if (isThenable(result)) this.vu.dispatch(() => result);
      }
    } catch (error) {
      // The throw ends the iteration, whose abort closes the stream; outside one, close it anyway.
      this.silenced = true;
      queueMicrotask(() => this.reader?.cancel());
      throw error;
    }
  };

  private readonly onAbort = (): void => {
    this.silenced = true;
    this.reader?.cancel();
    this.finish();
  };

  private finish(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.reader = undefined;
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  private countRequest(status: number, at: number): void {
    const tags = this.vu.systemTag('status') ? { ...this.tags, status: String(status) } : this.tags;
    this.vu.emit(this.streams.metrics.requests, 1, Object.freeze(tags), at);
  }
}

/** The tags of the stream's http_reqs sample: the VU's, params.tags, then method, url and name (name wins for url). */
function requestTags(vu: VuContext, vuTags: TagSet, userTags: Record<string, string>, method: string, url: string): Record<string, string> {
  const tags: Record<string, string> = { ...vuTags, ...userTags };
  if (vu.systemTag('method')) tags.method = method;
  const name = tags.name ?? url;
  if (vu.systemTag('url')) tags.url = name;
  if (vu.systemTag('name')) tags.name = name;
  return tags;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
