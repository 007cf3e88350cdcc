import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { listenToNewSocket, listenToRequest, listenToResponse } from './exchange-listeners.ts';
import type { Timings } from './response.ts';

/** One request/response on the wire: a single hop of a possibly redirected k6 request. */
export interface HopRequest {
  tls: boolean;
  agent: http.Agent;
  /** Where to connect (options.hosts may differ from the URL's host). */
  host: string;
  port: number;
  /** TLS server name, when the connection goes elsewhere than the URL's host. */
  servername: string | undefined;
  method: string;
  path: string;
  /** The headers as sent, Host and Content-Length included. */
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** false: read and drop the body (responseType 'none'). */
  keepBody: boolean;
}

const TLS_VERSIONS: Readonly<Record<string, string>> = { SSLv3: 'ssl3.0', TLSv1: 'tls1.0', 'TLSv1.1': 'tls1.1', 'TLSv1.2': 'tls1.2', 'TLSv1.3': 'tls1.3' };

/**
 * Sends one request with node:http(s) and records what k6's tracer records: when the connection was obtained, when
 * the request was written, when the first response byte came, when the body ended; and the socket's byte counts.
 * Times are performance.now() milliseconds.
 */
export class Exchange {
  readonly startedAt = performance.now();
  connectStartAt = 0;
  connectedAt = 0;
  secureAt = 0;
  gotConnAt = 0;
  wroteAt = 0;
  firstByteAt = 0;
  endedAt = 0;
  reused = false;
  response: http.IncomingMessage | undefined;
  body: Buffer | undefined;
  error: Error | undefined;
  remoteAddress = '';
  remotePort = 0;
  tlsVersion = '';
  tlsCipher = '';
  bytesSent = 0;
  bytesReceived = 0;
  readonly finished: Promise<Exchange>;

  private readonly keepBody: boolean;
  private readonly tls: boolean;
  private request: http.ClientRequest | undefined;
  private socket: Socket | undefined;
  private writtenBefore = 0;
  private readBefore = 0;
  private chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  private settle!: (exchange: Exchange) => void;

  constructor(hop: HopRequest) {
    this.keepBody = hop.keepBody;
    this.tls = hop.tls;
    this.finished = new Promise((resolve) => (this.settle = resolve));
    const options: https.RequestOptions = { agent: hop.agent, host: hop.host, port: hop.port, method: hop.method, path: hop.path, headers: hop.headers };
    if (hop.servername !== undefined) options.servername = hop.servername;
    let request: http.ClientRequest;
    try {
      request = (hop.tls ? https : http).request(options);
    } catch (error) {
      // Node refuses a header value with a line break, a bad method, …: the request fails like a network error.
      queueMicrotask(() => this.fail(error as Error));
      return;
    }
    this.request = request;
    listenToRequest(request, this);
    request.end(hop.body);
  }

  /** Ends the exchange now with `error`, closing its connection. */
  abort(error: Error): void {
    if (this.settled) return;
    this.fail(error);
    this.request?.destroy();
  }

  /** k6's timings: blocked until a connection, connecting, TLS, sending, waiting for the first byte, receiving. */
  timings(): Timings {
    const blocked = this.gotConnAt > 0 ? this.gotConnAt - this.startedAt : 0;
    const connecting = this.connectedAt > 0 ? this.connectedAt - this.connectStartAt : 0;
    const tlsHandshaking = this.secureAt > 0 ? this.secureAt - this.connectedAt : 0;
    let sending = 0;
    let waiting = 0;
    if (this.wroteAt > 0) {
      if (this.gotConnAt > 0) sending = Math.max(0, this.wroteAt - this.gotConnAt);
      waiting = this.firstByteAt > 0 ? Math.max(0, this.firstByteAt - this.wroteAt) : this.endedAt - this.wroteAt;
    }
    const receiving = this.firstByteAt > 0 ? this.endedAt - this.firstByteAt : 0;
    return { blocked, connecting, tls_handshaking: tlsHandshaking, sending, waiting, receiving, duration: sending + waiting + receiving };
  }

  attach(socket: Socket, reused: boolean): void {
    this.socket = socket;
    this.reused = reused;
    this.writtenBefore = socket.bytesWritten;
    this.readBefore = socket.bytesRead;
    const now = performance.now();
    if (reused || !socket.connecting) {
      this.gotConnAt = now;
      return;
    }
    this.connectStartAt = now;
    listenToNewSocket(socket, this, this.tls);
  }

  lookedUp(): void {
    this.connectStartAt = performance.now();
  }

  connect(): void {
    this.connectedAt = performance.now();
    if (!this.tls) this.gotConnAt = this.connectedAt;
  }

  secureConnect(): void {
    this.secureAt = performance.now();
    this.gotConnAt = this.secureAt;
  }

  wrote(): void {
    this.wroteAt = performance.now();
  }

  respond(response: http.IncomingMessage): void {
    if (this.settled) {
      response.resume();
      return;
    }
    this.firstByteAt = performance.now();
    this.response = response;
    const socket = response.socket;
    if (socket) {
      this.remoteAddress = socket.remoteAddress ?? '';
      this.remotePort = socket.remotePort ?? 0;
      if (this.tls) {
        const tlsSocket = socket as TLSSocket;
        const protocol = tlsSocket.getProtocol?.() ?? '';
        this.tlsVersion = protocol ? (TLS_VERSIONS[protocol] ?? protocol) : '';
        this.tlsCipher = tlsSocket.getCipher?.()?.standardName ?? '';
      }
    }
    listenToResponse(response, this, this.keepBody);
  }

  receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  end(): void {
    if (this.settled) return;
    this.endedAt = performance.now();
    if (this.keepBody) this.body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.complete();
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.error = error;
    this.endedAt = performance.now();
    this.chunks = [];
    if (this.remoteAddress === '' && this.socket?.remoteAddress) {
      this.remoteAddress = this.socket.remoteAddress;
      this.remotePort = this.socket.remotePort ?? 0;
    }
    this.complete();
  }

  private complete(): void {
    this.settled = true;
    const socket = this.socket;
    if (socket) {
      this.bytesSent = socket.bytesWritten - this.writtenBefore;
      this.bytesReceived = socket.bytesRead - this.readBefore;
    }
    this.settle(this);
  }
}
