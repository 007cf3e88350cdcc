import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import WsClient from 'ws';
import type { TagSet } from '../../metrics/types.ts';
import { now } from '../../runtime/vu.ts';
import type { MetricRef, VuContext } from '../../runtime/vu-context.ts';
import { Blob } from './blob.ts';
import { describeClose, isExpectedClose } from './close-codes.ts';
import { dialError } from './dial-error.ts';
import { fastMask } from './frame-mask.ts';
import { SocketCloseEvent, SocketErrorEvent, SocketEvent, SocketMessageEvent, type SocketEventType } from './events.ts';
import { SocketListeners } from './listeners.ts';
import type { SocketRequest } from './params.ts';
import { incomingData } from './incoming-data.ts';
import { CLOSED, CLOSING, CONNECTING, OPEN } from './ready-state.ts';
import { socketTags, type VuSockets } from './socket-metrics.ts';

/** k6, like the browser, waits this long for the handshake. */
const HANDSHAKE_TIMEOUT_MS = 60_000;
const TEXT = { binary: false };
const NO_EXTENSIONS: readonly string[] = Object.freeze([]);
const BINARY = { binary: true };

/**
 * One WebSocket of a VU: the `ws` client underneath, the k6 semantics on top. It holds the VU's event loop from its
 * creation until its close event has been delivered. Every event is delivered synchronously, through vu.dispatch(),
 * in the order `ws` reports them, and the handlers are looked up at that moment: a handler set in `onopen` gets the
 * frame the server sent right after the upgrade.
 */
export class SocketSession {
  readyState = CONNECTING;
  binaryType: 'blob' | 'arraybuffer' = 'blob';
  protocol = '';
  extensions: readonly string[] = NO_EXTENSIONS;
  bufferedAmount = 0;
  readonly listeners = new SocketListeners();

  readonly url: string;
  private ws: WsClient | undefined;
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
  /** Payload sizes of the frames handed to `ws`, oldest first: their write callbacks come back in this order. */
  private writes: number[] | undefined;
  private pings: Map<string, number> | undefined;
  private pingCount = 0;
  private pendingType: SocketEventType = 'open';
  private pendingEvent: SocketEvent | undefined;

  constructor(
    private readonly shared: VuSockets,
    private readonly target: object,
    request: SocketRequest,
  ) {
    this.vu = shared.vu;
    this.vuTags = this.vu.tags();
    this.url = request.url;
    this.userTags = request.tags;
    const ws = new WsClient(request.url, request.protocols, {
      headers: request.headers,
      perMessageDeflate: request.compression ? { clientNoContextTakeover: true, serverNoContextTakeover: true } : false,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      followRedirects: false,
      rejectUnauthorized: !this.vu.options.insecureSkipTLSVerify,
      // As k6's client, text frames are not checked for valid UTF-8: a load generator's CPU goes to the load.
      skipUTF8Validation: true,
      generateMask: fastMask,
    });
    this.ws = ws;
    this.attach(ws);
    this.release = this.vu.hold();
    this.signal = this.vu.signal;
    this.signal.addEventListener('abort', this.onAbort);
  }

  // The script's calls ----------------------------------------------------------------------------------------------

  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    const ws = this.openSocket();
    let size: number;
    if (typeof data === 'string') {
      size = Buffer.byteLength(data, 'utf8');
      ws.send(data, TEXT, this.afterWrite);
    } else if (data instanceof Blob) {
      const bytes = Blob.bytesOf(data);
      size = bytes.byteLength;
      ws.send(bytes, BINARY, this.afterWrite);
    } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      size = data.byteLength;
      ws.send(data, BINARY, this.afterWrite);
    } else {
      throw new TypeError(`unsupported send type ${data === null ? 'null' : typeof data}`);
    }
    this.bufferedAmount += size;
    (this.writes ??= []).push(size);
  }

  ping(): void {
    const ws = this.openSocket();
    const id = String(this.pingCount++);
    (this.pings ??= new Map()).set(id, now());
    ws.ping(id, undefined, this.afterWrite);
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

  private openSocket(): WsClient {
    if (this.readyState !== OPEN || !this.ws) throw new Error('InvalidStateError');
    return this.ws;
  }

  private sendClose(code: number, reason: string): void {
    this.ws?.close(code, reason);
    // k6 counts the close frame among the messages sent.
    this.emit(this.shared.metrics.messagesSent, 1);
  }

  // What `ws` reports ---------------------------------------------------------------------------------------------

  private attach(ws: WsClient): void {
    ws.on('upgrade', (response: IncomingMessage) => this.onResponse(response));
    ws.on('unexpected-response', (_request, response: IncomingMessage) => {
      this.onResponse(response);
      response.resume();
      this.failure = new Error('websocket: bad handshake');
      this.endHandshake();
      ws.terminate();
    });
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('ping', () => this.deliver('ping', new SocketEvent('ping', this.target, now())));
    ws.on('pong', (data: Buffer) => this.onPong(data));
    ws.on('error', (error: Error) => this.onError(error));
    ws.on('close', (code: number, reason: Buffer) => this.onClose(code, reason));
  }

  private onResponse(response: IncomingMessage): void {
    this.status = response.statusCode;
    this.socket = response.socket;
    const extensions = response.headers['sec-websocket-extensions'];
    if (extensions !== undefined) this.extensions = Object.freeze([extensions]);
  }

  private onOpen(ws: WsClient): void {
    this.protocol = ws.protocol;
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

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.readyState !== OPEN || this.detached) return;
    const receivedAt = now();
    this.emit(this.shared.metrics.messagesReceived, 1, receivedAt);
    const payload = incomingData(data, isBinary, this.binaryType);
    this.deliver('message', new SocketMessageEvent(this.target, receivedAt, payload, this.url));
  }

  private onPong(data: Buffer): void {
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

  /** `ws` reports an error and then closes. k6 reports a failed handshake; a broken frame only ends the session. */
  private onError(error: Error): void {
    if (!this.handshakeOver) this.failure ??= dialError(error);
    else this.vu.log('debug', `websocket ${this.url}: ${error.message}`);
  }

  private readonly afterWrite = (error?: Error | null): void => {
    const size = this.writes?.shift() ?? 0;
    this.bufferedAmount -= size;
    if (this.detached) return;
    if (error) {
      if (this.readyState === OPEN) this.failure ??= error;
      return;
    }
    this.emit(this.shared.metrics.messagesSent, 1);
  };

  private onClose(code: number, reason: Buffer): void {
    this.endHandshake();
    if (this.opened) this.emit(this.shared.metrics.sessionDuration, now() - this.startedAt);
    this.countBytes();
    this.ws = undefined;
    if (this.detached) return this.finish();
    // 1006 means no close frame came: the code is then the one the script closed with, if any.
    const frameReceived = code !== 1006;
    if (frameReceived) {
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
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
    const ws = this.ws;
    if (ws && ws.readyState === WsClient.OPEN) ws.close(1000);
    else ws?.terminate();
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
    this.ws?.terminate();
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
