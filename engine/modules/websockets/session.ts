import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { TagSet } from '../../metrics/types.ts';
import { now } from '../../runtime/vu.ts';
import type { MetricRef, VuContext } from '../../runtime/vu-context.ts';
import { Blob } from './blob.ts';
import { describeClose, isExpectedClose } from './close-codes.ts';
import { dialError } from './dial-error.ts';
import { SocketCloseEvent, SocketErrorEvent, SocketEvent, SocketMessageEvent, type SocketEventType } from './events.ts';
import { SocketListeners } from './listeners.ts';
import type { SocketRequest } from './params.ts';
import { incomingData } from './incoming-data.ts';
import { LeanSocket } from './lean-socket.ts';
import { CLOSED, CLOSING, CONNECTING, OPEN } from './ready-state.ts';
import { socketTags, type VuSockets } from './socket-metrics.ts';
import type { SocketTransport, TransportOptions, TransportSink } from './transport.ts';
import { WsTransport } from './ws-transport.ts';

/** k6, like the browser, waits this long for the handshake. */
const HANDSHAKE_TIMEOUT_MS = 60_000;
const NO_EXTENSIONS: readonly string[] = Object.freeze([]);

export type OpenTransport = (request: SocketRequest, options: TransportOptions, sink: TransportSink) => SocketTransport;

/** The lean client; `ws` when the script asks for compression, which only `ws` does. */
export const openTransport: OpenTransport = (request, options, sink) =>
  request.compression ? new WsTransport(request, options, sink) : new LeanSocket(request, options, sink);

/**
 * One WebSocket of a VU: a client connection underneath (see openTransport), the k6 semantics on top. It holds the
 * VU's event loop from its creation until its close event has been delivered. Every event is delivered
 * synchronously, through vu.dispatch(), in the order the connection reports them, and the handlers are looked up at
 * that moment: a handler set in `onopen` gets the frame the server sent right after the upgrade.
 */
export class SocketSession implements TransportSink {
  readyState = CONNECTING;
  binaryType: 'blob' | 'arraybuffer' = 'blob';
  protocol = '';
  extensions: readonly string[] = NO_EXTENSIONS;
  bufferedAmount = 0;
  readonly listeners = new SocketListeners();

  readonly url: string;
  private transport: SocketTransport | undefined;
  private socket: Socket | undefined;
  private readonly vu: VuContext;
  private readonly userTags: Record<string, string>;
  private readonly vuTags: TagSet;
  private tags: TagSet | undefined;
  private readonly startedAt = now();
  private release: (() => void) | undefined;
  private readonly signal: AbortSignal;
  private status: number | undefined;
  private handshakeOver = false;
  private opened = false;
  /** The VU stopped listening: interrupted, or the iteration failed. Nothing more reaches the script. */
  private detached = false;
  private failure: Error | undefined;
  private closeCode: number | undefined;
  private closeReason = '';
  /** close() was called before the handshake finished: the socket is closed as soon as it opens. */
  private closeOnOpen: { code: number; reason: string } | undefined;
  /** Payload sizes of the frames handed to the transport, oldest first: their write callbacks come back in this order. */
  private writes: number[] | undefined;
  private pings: Map<string, number> | undefined;
  private pingCount = 0;
  private pendingType: SocketEventType = 'open';
  private pendingEvent: SocketEvent | undefined;

  constructor(
    private readonly shared: VuSockets,
    private readonly target: object,
    request: SocketRequest,
    open: OpenTransport = openTransport,
  ) {
    this.vu = shared.vu;
    this.vuTags = this.vu.tags();
    this.url = request.url;
    this.userTags = request.tags;
    this.transport = open(request, { handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS, rejectUnauthorized: !this.vu.options.insecureSkipTLSVerify }, this);
    this.release = this.vu.hold();
    this.signal = this.vu.signal;
    this.signal.addEventListener('abort', this.onAbort);
  }

  // The script's calls ----------------------------------------------------------------------------------------------

  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    const transport = this.openTransport();
    let size: number;
    if (typeof data === 'string') {
      size = Buffer.byteLength(data, 'utf8');
      transport.sendText(data, size);
    } else if (data instanceof Blob) {
      const bytes = Blob.bytesOf(data);
      size = bytes.byteLength;
      transport.sendBinary(bytes);
    } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      size = data.byteLength;
      transport.sendBinary(data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, size));
    } else {
      throw new TypeError(`unsupported send type ${data === null ? 'null' : typeof data}`);
    }
    this.bufferedAmount += size;
    (this.writes ??= []).push(size);
  }

  ping(): void {
    const transport = this.openTransport();
    const id = String(this.pingCount++);
    (this.pings ??= new Map()).set(id, now());
    transport.ping(id);
    (this.writes ??= []).push(0);
  }

  /** The code and reason are already checked; 0 means none given. */
  close(code: number, reason: string): void {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    const closeCode = code === 0 ? 1000 : code;
    this.readyState = CLOSING;
    this.closeCode = closeCode;
    if (this.handshakeOver) this.sendClose(closeCode, reason);
    else this.closeOnOpen = { code: closeCode, reason };
  }

  logWarning(message: string): void {
    this.vu.log('warn', message);
  }

  private openTransport(): SocketTransport {
    if (this.readyState !== OPEN || !this.transport) throw new Error('InvalidStateError');
    return this.transport;
  }

  private sendClose(code: number, reason: string): void {
    this.transport?.close(code, reason);
    // k6 counts the close frame among the messages sent.
    this.emit(this.shared.metrics.messagesSent, 1);
  }

  // What the connection reports ---------------------------------------------------------------------------------

  onResponse(status: number, headers: IncomingHttpHeaders, socket: Socket): void {
    this.status = status;
    this.socket = socket;
    const extensions = headers['sec-websocket-extensions'];
    if (extensions !== undefined) this.extensions = Object.freeze([extensions]);
  }

  onRefused(): void {
    this.failure = new Error('websocket: bad handshake');
    this.endHandshake();
    this.transport?.terminate();
  }

  onOpen(protocol: string): void {
    this.protocol = protocol;
    this.endHandshake();
    if (this.closeOnOpen) {
      const { code, reason } = this.closeOnOpen;
      this.closeOnOpen = undefined;
      this.sendClose(code, reason);
      return;
    }
    if (this.detached) return;
    this.readyState = OPEN;
    this.opened = true;
    this.deliver('open', new SocketEvent('open', this.target, now()));
  }

  onMessage(data: Buffer, isBinary: boolean): void {
    if (this.readyState !== OPEN || this.detached) return;
    const receivedAt = now();
    this.emit(this.shared.metrics.messagesReceived, 1, receivedAt);
    const payload = incomingData(data, isBinary, this.binaryType);
    this.deliver('message', new SocketMessageEvent(this.target, receivedAt, payload, this.url));
  }

  onPing(): void {
    this.deliver('ping', new SocketEvent('ping', this.target, now()));
  }

  onPong(data: Buffer): void {
    if (this.detached) return;
    const receivedAt = now();
    const id = data.toString('utf8');
    const sentAt = this.pings?.get(id);
    if (sentAt === undefined) {
      this.vu.log('warn', `received pong for unknown ping ID ${id}`);
    } else {
      this.pings!.delete(id);
      this.emit(this.shared.metrics.ping, receivedAt - sentAt, receivedAt);
    }
    this.deliver('pong', new SocketEvent('pong', this.target, receivedAt));
  }

  /** The connection reports an error and then closes. k6 reports a failed handshake; a broken frame only ends the session. */
  onError(error: Error): void {
    if (!this.handshakeOver) this.failure ??= dialError(error);
    else this.vu.log('debug', `websocket ${this.url}: ${error.message}`);
  }

  readonly onWritten = (error?: Error | null): void => {
    const size = this.writes?.shift() ?? 0;
    this.bufferedAmount -= size;
    if (this.detached) return;
    if (error) {
      if (this.readyState === OPEN) this.failure ??= error;
      return;
    }
    this.emit(this.shared.metrics.messagesSent, 1);
  };

  onClose(code: number, reason: string): void {
    this.endHandshake();
    if (this.opened) this.emit(this.shared.metrics.sessionDuration, now() - this.startedAt);
    this.countBytes();
    this.transport = undefined;
    if (this.detached) return this.finish();
    // 1006 means no close frame came: the code is then the one the script closed with, if any.
    const frameReceived = code !== 1006;
    if (frameReceived) {
      this.closeCode = code;
      this.closeReason = reason;
      if (!isExpectedClose(code)) this.failure ??= new Error(describeClose(code, this.closeReason));
    }
    this.readyState = CLOSED;
    const at = now();
    if (this.failure) this.deliver('error', new SocketErrorEvent(this.target, at, this.failure.message));
    this.deliver('close', new SocketCloseEvent(this.target, at, this.closeCode, this.closeReason));
    this.finish();
  }

  private readonly onAbort = (): void => {
    this.detached = true;
    const transport = this.transport;
    if (transport?.isOpen) transport.close(1000, '');
    else transport?.terminate();
    this.finish();
  };

  // Metrics -------------------------------------------------------------------------------------------------------

  /** ws_sessions and ws_connecting, once, when the handshake succeeded or failed; from then on the tags are known. */
  private endHandshake(): void {
    if (this.handshakeOver) return;
    this.handshakeOver = true;
    const outcome = { status: this.status, protocol: this.protocol, remoteAddress: this.socket?.remoteAddress };
    this.tags = socketTags(this.vu, this.vuTags, this.url, this.userTags, outcome);
    if (this.detached) return;
    const metrics = this.shared.metrics;
    this.emit(metrics.sessions, 1, this.startedAt);
    this.emit(metrics.connecting, now() - this.startedAt, this.startedAt);
  }

  private countBytes(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    const metrics = this.shared.metrics;
    if (socket.bytesWritten > 0) this.vu.emit(metrics.dataSent, socket.bytesWritten, this.vuTags);
    if (socket.bytesRead > 0) this.vu.emit(metrics.dataReceived, socket.bytesRead, this.vuTags);
  }

  private emit(metric: MetricRef, value: number, time?: number): void {
    if (this.tags) this.vu.emit(metric, value, this.tags, time);
  }

  // Delivery to the script ----------------------------------------------------------------------------------------

  private deliver(type: SocketEventType, event: SocketEvent): void {
    if (this.detached || !this.listeners.has(type)) return;
    this.pendingType = type;
    this.pendingEvent = event;
    this.vu.dispatch(this.callListeners);
  }

  /** One function per socket for every dispatch: no closure per message. */
  private readonly callListeners = (): void => {
    const type = this.pendingType;
    const event = this.pendingEvent!;
    this.pendingEvent = undefined;
    if (type !== 'open' && type !== 'message') return this.listeners.call(type, event, this.adoptPromise);
    try {
      this.listeners.call(type, event, this.adoptPromise);
    } catch (error) {
      this.closeAfterThrow(error);
      throw error;
    }
  };

  private readonly adoptPromise = (promise: PromiseLike<unknown>): void => this.vu.dispatch(() => promise);

  /**
   * As k6 does when an open or message handler throws: the connection is dropped, the error and close handlers
   * still run (what they throw is ignored), and the handler's exception ends the iteration.
   */
  private closeAfterThrow(error: unknown): void {
    this.readyState = CLOSED;
    this.transport?.terminate();
    const at = now();
    try {
      this.listeners.call('error', new SocketErrorEvent(this.target, at, String(error)), this.adoptPromise);
      this.listeners.call('close', new SocketCloseEvent(this.target, at, this.closeCode, this.closeReason), this.adoptPromise);
    } catch {
      // k6 ignores them: the iteration ends with the first exception.
    }
    this.detached = true;
  }

  private finish(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    const release = this.release;
    this.release = undefined;
    release?.();
  }
}
