import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What a WebSocket client connection reports to its session, synchronously and in the order things happen on the
 * wire. After onClose nothing more comes.
 */
export interface TransportSink {
  /** The server answered the upgrade request, whatever the status. `socket` is the connection (for its bytes). */
  onResponse(status: number, headers: IncomingHttpHeaders, socket: Socket): void;
  /** The answer was not 101: the handshake failed. The session drops the connection. */
  onRefused(): void;
  onOpen(protocol: string): void;
  onMessage(data: Buffer, isBinary: boolean): void;
  onPing(data: Buffer): void;
  onPong(data: Buffer): void;
  /** Before the handshake completes, why it failed; after it, a frame the protocol forbids (the connection ends). */
  onError(error: Error): void;
  /** Each frame given to sendText, sendBinary or ping, in order, once written (or not: an error). */
  readonly onWritten: (error?: Error | null) => void;
  /** The connection is closed: the code of the server's close frame, 1006 when none came. */
  onClose(code: number, reason: string): void;
}

/** A client connection as the session drives it. */
export interface SocketTransport {
  /** Open in the protocol's sense: handshake done, no close frame sent or received. */
  readonly isOpen: boolean;
  /** A text frame; `byteLength` is the text's length in UTF-8, which the session knows already. */
  sendText(text: string, byteLength: number): void;
  sendBinary(bytes: Uint8Array): void;
  ping(payload: string): void;
  /** Starts the closing handshake; the code and reason are valid. */
  close(code: number, reason: string): void;
  /** Drops the connection without a closing handshake. */
  terminate(): void;
}

/** What a transport needs besides the request: the options k6 takes from the test, and the handshake's deadline. */
export interface TransportOptions {
  handshakeTimeoutMs: number;
  rejectUnauthorized: boolean;
}
