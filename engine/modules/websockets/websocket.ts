import type { Blob } from './blob.ts';
import { checkClientClose } from './close-codes.ts';
import { SOCKET_EVENT_TYPES, type SocketCloseEvent, type SocketErrorEvent, type SocketEvent, type SocketEventType, type SocketMessageEvent } from './events.ts';
import type { Listener } from './listeners.ts';
import { parseSocketRequest } from './params.ts';
import { CLOSED, CLOSING, CONNECTING, OPEN } from './ready-state.ts';
import { SocketSession } from './session.ts';
import type { VuSockets } from './socket-metrics.ts';

interface SocketEventMap {
  open: SocketEvent;
  message: SocketMessageEvent;
  error: SocketErrorEvent;
  close: SocketCloseEvent;
  ping: SocketEvent;
  pong: SocketEvent;
}

type Handler<K extends SocketEventType> = (event: SocketEventMap[K]) => unknown;

/**
 * k6/websockets' WebSocket, as a script sees it. Each VU gets a subclass bound to it (see index.ts); the state
 * lives in a private SocketSession, so that the object itself has nothing enumerable (JSON.stringify(event) works).
 */
export class WebSocket {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  declare readonly CONNECTING: typeof CONNECTING;
  declare readonly OPEN: typeof OPEN;
  declare readonly CLOSING: typeof CLOSING;
  declare readonly CLOSED: typeof CLOSED;
  // Accessors on the prototype, defined below the class.
  declare onopen: Handler<'open'> | null;
  declare onmessage: Handler<'message'> | null;
  declare onerror: Handler<'error'> | null;
  declare onclose: Handler<'close'> | null;
  declare onping: Handler<'ping'> | null;
  declare onpong: Handler<'pong'> | null;

  readonly #session: SocketSession;

  constructor(sockets: VuSockets, url: unknown, protocols?: unknown, params?: unknown) {
    if (sockets.vu.stage() === 'init') throw new Error("WebSocket can't be used in the init context");
    this.#session = new SocketSession(sockets, this, parseSocketRequest(sockets.vu.options, url, protocols, params));
  }

  get url(): string {
    return this.#session.url;
  }

  get readyState(): number {
    return this.#session.readyState;
  }

  get bufferedAmount(): number {
    return this.#session.bufferedAmount;
  }

  get protocol(): string {
    return this.#session.protocol;
  }

  get extensions(): string[] {
    return [...this.#session.extensions];
  }

  get binaryType(): string {
    return this.#session.binaryType;
  }

  set binaryType(value: string) {
    if (value !== 'blob' && value !== 'arraybuffer') throw new Error(`unknown binaryType ${value}, the supported ones are "blob" and "arraybuffer"`);
    this.#session.binaryType = value;
  }

  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    this.#session.send(data);
  }

  ping(): void {
    this.#session.ping();
  }

  close(code?: number, reason?: string): void {
    const closeCode = code === undefined || code === null ? 0 : Math.trunc(Number(code)) || 0;
    const closeReason = reason === undefined || reason === null ? '' : String(reason);
    if (this.#session.readyState === CLOSING || this.#session.readyState === CLOSED) return;
    checkClientClose(closeCode, closeReason);
    this.#session.close(closeCode, closeReason);
  }

  addEventListener<K extends SocketEventType>(type: K, listener: Handler<K>): void;
  addEventListener(type: string, listener: unknown): void;
  addEventListener(type: string, listener: unknown): void {
    if (typeof listener !== 'function') throw new TypeError(`handler for event type ${JSON.stringify(type)} isn't a callable function`);
    if (!isEventType(type)) {
      this.#session.logWarning(`can't add event handler: unknown event type: ${type}`);
      return;
    }
    this.#session.listeners.add(type, listener as Listener);
  }

  /** The `on…` properties, defined below for each event type. */
  static handlerOf(socket: WebSocket, type: SocketEventType): Listener | null {
    return socket.#session.listeners.getOn(type);
  }

  static setHandler(socket: WebSocket, type: SocketEventType, handler: unknown): void {
    if (handler === undefined || handler === null) return socket.#session.listeners.setOn(type, undefined);
    if (typeof handler !== 'function') throw new TypeError(`a value for 'on${type}' should be callable`);
    socket.#session.listeners.setOn(type, handler as Listener);
  }
}

for (const [name, value] of Object.entries({ CONNECTING, OPEN, CLOSING, CLOSED })) {
  Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
}

for (const type of SOCKET_EVENT_TYPES) {
  Object.defineProperty(WebSocket.prototype, `on${type}`, {
    get(this: WebSocket) {
      return WebSocket.handlerOf(this, type);
    },
    set(this: WebSocket, handler: unknown) {
      WebSocket.setHandler(this, type, handler);
    },
    enumerable: true,
  });
}

function isEventType(type: string): type is SocketEventType {
  return (SOCKET_EVENT_TYPES as readonly string[]).includes(type);
}
