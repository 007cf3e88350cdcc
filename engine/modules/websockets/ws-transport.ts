import type { IncomingMessage } from 'node:http';
import WsClient from 'ws';
import { fastMask } from './frame-mask.ts';
import type { SocketRequest } from './params.ts';
import type { SocketTransport, TransportOptions, TransportSink } from './transport.ts';

const TEXT = { binary: false };
const BINARY = { binary: true };

/**
 * The `ws` client, for what the lean client does not do: permessage-deflate (params.compression). Its options are
 * the ones the session always gave it.
 */
export class WsTransport implements SocketTransport {
  private readonly ws: WsClient;

  constructor(
    request: SocketRequest,
    options: TransportOptions,
    private readonly sink: TransportSink,
  ) {
    const ws = new WsClient(request.url, request.protocols, {
      headers: request.headers,
      perMessageDeflate: request.compression ? { clientNoContextTakeover: true, serverNoContextTakeover: true } : false,
      handshakeTimeout: options.handshakeTimeoutMs,
      followRedirects: false,
      rejectUnauthorized: options.rejectUnauthorized,
      // As k6's client, text frames are not checked for valid UTF-8: a load generator's CPU goes to the load.
      skipUTF8Validation: true,
      generateMask: fastMask,
    });
    this.ws = ws;
    ws.on('upgrade', (response: IncomingMessage) => sink.onResponse(response.statusCode!, response.headers, response.socket));
    ws.on('unexpected-response', (_request, response: IncomingMessage) => {
      sink.onResponse(response.statusCode!, response.headers, response.socket);
      response.resume();
      sink.onRefused();
    });
    ws.on('open', () => sink.onOpen(ws.protocol));
    ws.on('message', (data: Buffer, isBinary: boolean) => sink.onMessage(data, isBinary));
    ws.on('ping', (data: Buffer) => sink.onPing(data));
    ws.on('pong', (data: Buffer) => sink.onPong(data));
    ws.on('error', (error: Error) => sink.onError(error));
    ws.on('close', (code: number, reason: Buffer) => sink.onClose(code, reason.toString('utf8')));
  }

  get isOpen(): boolean {
    return this.ws.readyState === WsClient.OPEN;
  }

  sendText(text: string): void {
    this.ws.send(text, TEXT, this.sink.onWritten);
  }

  sendBinary(bytes: Uint8Array): void {
    this.ws.send(bytes, BINARY, this.sink.onWritten);
  }

  ping(payload: string): void {
    this.ws.ping(payload, undefined, this.sink.onWritten);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
