export type SocketEventType = 'open' | 'message' | 'error' | 'close' | 'ping' | 'pong';

export const SOCKET_EVENT_TYPES: readonly SocketEventType[] = ['open', 'message', 'error', 'close', 'ping', 'pong'];

/** What every event of a k6 WebSocket carries: its type, the socket, and when it happened (ms since the epoch). */
export class SocketEvent {
  constructor(
    readonly type: SocketEventType,
    readonly target: object,
    readonly timestamp: number,
  ) {}
}

/** A frame from the server: a string for a text frame, a Blob or an ArrayBuffer for a binary one (binaryType). */
export class SocketMessageEvent extends SocketEvent {
  constructor(
    target: object,
    timestamp: number,
    readonly data: unknown,
    readonly origin: string,
  ) {
    super('message', target, timestamp);
  }
}

/** `error` is the message, as k6 gives it. */
export class SocketErrorEvent extends SocketEvent {
  constructor(
    target: object,
    timestamp: number,
    readonly error: string,
  ) {
    super('error', target, timestamp);
  }
}

/** k6 sets `code` only when one is known: from the server's close frame, or the one the script closed with. */
export class SocketCloseEvent extends SocketEvent {
  declare readonly code?: number;
  readonly reason: string;

  constructor(target: object, timestamp: number, code: number | undefined, reason: string) {
    super('close', target, timestamp);
    if (code !== undefined) (this as { code?: number }).code = code;
    this.reason = reason;
  }
}
