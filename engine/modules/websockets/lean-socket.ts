import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, type SecureContext } from 'node:tls';
import { isUpgradeAnswer, upgradeAnswerError, upgradeRequest } from './client-handshake.ts';
import { FrameParser, type FrameSink } from './frame-parser.ts';
import { bytesFrame, closeFrame, OPCODE_BINARY, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT, stringFrame } from './frame-writer.ts';
import type { SocketRequest } from './params.ts';
import { CLOSED, CLOSING, CONNECTING, OPEN } from './ready-state.ts';
import { ResponseHeadReader } from './response-head.ts';
import { socketTarget } from './socket-target.ts';
import type { SocketTransport, TransportOptions, TransportSink } from './transport.ts';

/** As ws: how long the server has to finish the closing handshake before the connection is dropped. */
const CLOSE_TIMEOUT_MS = 30_000;
/** As ws: a server that pings faster than the pongs can be written is cut off. */
const MAX_PENDING_AUTO_PONGS = 60;
const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

/**
 * Every plain TCP connection reads into this one buffer (net's `onread`), and each read is parsed before the next:
 * no Buffer and no stream event per read. TLS sockets do not take `onread`; theirs come as 'data' chunks.
 */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024);

/** One TLS context for every wss connection (ws made one per connection): the CA store is read once. */
let sharedSecureContext: SecureContext | undefined;

/** The socket's listeners are shared functions, which find the connection here: no closures per connection. */
const OWNER = Symbol('LeanSocket');
type OwnedSocket = Socket & { [OWNER]: LeanSocket };

/**
 * A WebSocket client connection (RFC 6455) on a plain net or tls socket: no http.ClientRequest, no stream layered
 * over the socket, one buffer per frame sent. It behaves as the `ws` client did with the options the session gave
 * it (no compression, no redirects, no UTF-8 validation): the same checks of the answer with the same messages,
 * automatic pongs, the echoed close frame, the 30 s close timeout, 1006 when no close frame came.
 */
export class LeanSocket implements SocketTransport, FrameSink {
  private state = CONNECTING;
  private readonly socket: Socket;
  private readonly key: string;
  private readonly protocols: readonly string[];
  private head: ResponseHeadReader | undefined = new ResponseHeadReader();
  private parser: FrameParser | undefined;
  private closeFrameSent = false;
  private closeFrameReceived = false;
  private protocolFailed = false;
  private closeCode = 1006;
  private closeReason = '';
  /** The closing handshake's deadline. */
  private closeTimer: NodeJS.Timeout | undefined;
  private pendingPongs = 0;
  private pongWritten: (() => void) | undefined;

  constructor(
    request: SocketRequest,
    options: TransportOptions,
    private readonly sink: TransportSink,
  ) {
    const target = socketTarget(request.url);
    const { text, key } = upgradeRequest(target, request.protocols, request.headers);
    this.key = key;
    this.protocols = request.protocols;
    const { host, port } = target;
    const socket = (
      target.secure
        ? tlsConnect({
            host,
            port,
            servername: target.servername,
            rejectUnauthorized: options.rejectUnauthorized,
            secureContext: (sharedSecureContext ??= createSecureContext()),
          })
        : netConnect({ host, port, noDelay: true, onread: { buffer: readBuffer, callback: (length) => this.onRead(length) } })
    ) as OwnedSocket;
    if (target.secure) {
      socket.setNoDelay(true);
      socket.on('data', forwardData);
    }
    socket[OWNER] = this;
    this.socket = socket;
    socket.on('error', forwardError);
    socket.on('end', forwardEnd);
    socket.on('close', forwardClose);
    // As ws (the request's timeout): the handshake fails when the socket stays idle that long.
    socket.setTimeout(options.handshakeTimeoutMs);
    socket.on('timeout', forwardTimeout);
    socket.write(text, 'latin1');
  }

  get isOpen(): boolean {
    return this.state === OPEN;
  }

  // What the session asks -------------------------------------------------------------------------------------------

  sendText(text: string, byteLength: number): void {
    if (this.state !== OPEN) return this.notOpen();
    this.socket.write(stringFrame(OPCODE_TEXT, text, byteLength), this.sink.onWritten);
  }

  sendBinary(bytes: Uint8Array): void {
    if (this.state !== OPEN) return this.notOpen();
    this.socket.write(bytesFrame(OPCODE_BINARY, bytes), this.sink.onWritten);
  }

  ping(payload: string): void {
    if (this.state !== OPEN) return this.notOpen();
    this.socket.write(stringFrame(OPCODE_PING, payload, Buffer.byteLength(payload, 'utf8')), this.sink.onWritten);
  }

  close(code: number, reason: string): void {
    if (this.state === CONNECTING) return this.terminate();
    if (this.state === CLOSING) {
      if (this.closeFrameSent && (this.closeFrameReceived || this.protocolFailed)) this.socket.end();
      return;
    }
    if (this.state !== OPEN) return;
    this.state = CLOSING;
    this.closeFrameSent = true;
    this.socket.write(closeFrame(code, reason));
    this.startCloseTimer();
  }

  terminate(): void {
    if (this.state === CLOSED) return;
    if (this.state === CONNECTING) {
      this.state = CLOSING;
      this.sink.onError(new Error('WebSocket was closed before the connection was established'));
    }
    this.state = CLOSING;
    this.parser?.stop();
    this.socket.destroy();
  }

  /** As ws: a frame sent once the connection is closing is not sent, and its write callback gets why. */
  private notOpen(): void {
    process.nextTick(this.sink.onWritten, new Error(`WebSocket is not open: readyState ${this.state} (${STATE_NAMES[this.state]})`));
  }

  // The socket ------------------------------------------------------------------------------------------------------

  /** A read into readBuffer; true: keep reading. */
  private onRead(length: number): boolean {
    this.onBytes(readBuffer.subarray(0, length));
    return true;
  }

  /** What the socket read; only valid until this returns (see readBuffer). */
  onBytes(chunk: Buffer): void {
    if (this.parser !== undefined) this.parser.push(chunk);
    else if (this.head !== undefined) this.readHead(this.head, chunk);
  }

  /** Before the handshake ends, the error is why it failed; after, ws ignores it: the close that follows says it. */
  onSocketError(error: Error): void {
    this.failHandshake(error);
  }

  /**
   * The server ended its side: as ws, nothing more is sent. When nothing is left to write either, the socket is
   * closed at once rather than half-closed first, as Node would (one system call less per connection).
   */
  onSocketEnd(): void {
    if (this.state === OPEN) this.state = CLOSING;
    if (this.socket.writableLength === 0) this.socket.destroy();
  }

  onSocketClose(): void {
    clearTimeout(this.closeTimer);
    // The server closed the connection without answering: Node's http client calls that a hang-up.
    if (this.state === CONNECTING) this.failHandshake(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    this.state = CLOSED;
    this.parser?.stop();
    this.sink.onClose(this.closeFrameReceived ? this.closeCode : 1006, this.closeReason);
  }

  onHandshakeTimeout(): void {
    this.failHandshake(new Error('Opening handshake has timed out'));
  }

  // The handshake ---------------------------------------------------------------------------------------------------

  private readHead(reader: ResponseHeadReader, chunk: Buffer): void {
    let head;
    try {
      head = reader.push(chunk);
    } catch (error) {
      return this.failHandshake(error as Error);
    }
    if (head === undefined) return;
    this.head = undefined;
    this.sink.onResponse(head.status, head.headers, this.socket);
    if (this.state !== CONNECTING) return;
    if (!isUpgradeAnswer(head.status, head.headers)) return this.sink.onRefused();
    const error = upgradeAnswerError(head.headers, this.key, this.protocols);
    if (error !== undefined) return this.failHandshake(new Error(error));
    this.state = OPEN;
    this.socket.setTimeout(0);
    const parser = new FrameParser(this);
    this.parser = parser;
    this.sink.onOpen(head.headers['sec-websocket-protocol'] ?? '');
    // The server may have sent its first frames with the answer: they come after the open event, as with ws.
    if (head.rest.length > 0) parser.push(head.rest);
  }

  private failHandshake(error: Error): void {
    if (this.state !== CONNECTING) return;
    this.state = CLOSING;
    this.head = undefined;
    this.sink.onError(error);
    this.socket.destroy();
  }

  // Frames from the server ------------------------------------------------------------------------------------------

  onMessage(data: Buffer, isBinary: boolean): void {
    this.sink.onMessage(data, isBinary);
  }

  onPing(data: Buffer): void {
    if (this.state === OPEN) {
      if (this.pendingPongs >= MAX_PENDING_AUTO_PONGS) {
        this.terminate();
      } else {
        this.pendingPongs++;
        this.socket.write(bytesFrame(OPCODE_PONG, data), (this.pongWritten ??= () => this.pendingPongs--));
      }
    }
    this.sink.onPing(data);
  }

  onPong(data: Buffer): void {
    this.sink.onPong(data);
  }

  /** The server's close frame: echoed when it started the closing handshake, then our side of TCP ends. */
  onCloseFrame(code: number, reason: Buffer): void {
    this.closeFrameReceived = true;
    this.closeCode = code;
    this.closeReason = reason.toString('utf8');
    if (this.state === OPEN) {
      this.state = CLOSING;
      this.closeFrameSent = true;
      this.socket.end(closeFrame(code, reason));
      this.startCloseTimer();
    } else if (this.closeFrameSent) {
      this.socket.end();
    }
  }

  /** As ws: a close frame with the error's code, our side of TCP ends, and the error is reported (in ws's words). */
  onProtocolError(code: number, message: string): void {
    this.protocolFailed = true;
    if (this.state === OPEN) {
      this.state = CLOSING;
      this.closeFrameSent = true;
      this.socket.end(closeFrame(code, ''));
      this.startCloseTimer();
    } else if (this.closeFrameSent) {
      this.socket.end();
    }
    this.sink.onError(new RangeError(code === 1002 ? `Invalid WebSocket frame: ${message}` : message));
  }

  private startCloseTimer(): void {
    this.closeTimer = setTimeout(destroySocket, CLOSE_TIMEOUT_MS, this.socket);
  }
}

function forwardData(this: OwnedSocket, chunk: Buffer): void {
  this[OWNER].onBytes(chunk);
}

function forwardError(this: OwnedSocket, error: Error): void {
  this[OWNER].onSocketError(error);
}

function forwardEnd(this: OwnedSocket): void {
  this[OWNER].onSocketEnd();
}

function forwardClose(this: OwnedSocket): void {
  this[OWNER].onSocketClose();
}

function forwardTimeout(this: OwnedSocket): void {
  this[OWNER].onHandshakeTimeout();
}

function destroySocket(socket: Socket): void {
  socket.destroy();
}
