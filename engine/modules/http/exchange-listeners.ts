import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Exchange } from './exchange.ts';

/**
 * The event handlers of an Exchange. They are shared functions that find their Exchange on the emitter, so that a
 * request costs no closures for its events.
 */
const EXCHANGE = Symbol('agent-sla.exchange');
type Carrier = { [EXCHANGE]?: Exchange };

export function listenToRequest(request: http.ClientRequest, exchange: Exchange): void {
  (request as Carrier)[EXCHANGE] = exchange;
  request.on('socket', onSocket);
  request.on('finish', onFinish);
  request.on('response', onResponse);
  request.on('error', onRequestError);
}

/** A new connection: its DNS lookup, TCP connect and TLS handshake are timed. */
export function listenToNewSocket(socket: Socket, exchange: Exchange, tls: boolean): void {
  (socket as Carrier)[EXCHANGE] = exchange;
  socket.once('lookup', onLookup);
  socket.once('connect', onConnect);
  if (tls) socket.once('secureConnect', onSecureConnect);
}

export function listenToResponse(response: http.IncomingMessage, exchange: Exchange, keepBody: boolean): void {
  (response as Carrier)[EXCHANGE] = exchange;
  if (keepBody) response.on('data', onData);
  else response.resume();
  response.on('end', onEnd);
  response.on('error', onResponseError);
  response.on('close', onResponseClose);
}

function exchangeOf(emitter: unknown): Exchange | undefined {
  return (emitter as Carrier)[EXCHANGE];
}

function onSocket(this: http.ClientRequest, socket: Socket): void {
  exchangeOf(this)?.attach(socket, this.reusedSocket);
}
function onLookup(this: Socket): void {
  exchangeOf(this)?.lookedUp();
}
function onConnect(this: Socket): void {
  exchangeOf(this)?.connect();
}
function onSecureConnect(this: Socket): void {
  exchangeOf(this)?.secureConnect();
}
function onFinish(this: http.ClientRequest): void {
  exchangeOf(this)?.wrote();
}
function onResponse(this: http.ClientRequest, response: http.IncomingMessage): void {
  exchangeOf(this)?.respond(response);
}
function onRequestError(this: http.ClientRequest, error: Error): void {
  exchangeOf(this)?.fail(error);
}
function onData(this: http.IncomingMessage, chunk: Buffer): void {
  exchangeOf(this)?.receive(chunk);
}
function onEnd(this: http.IncomingMessage): void {
  exchangeOf(this)?.end();
}
function onResponseError(this: http.IncomingMessage, error: Error): void {
  exchangeOf(this)?.fail(error);
}
function onResponseClose(this: http.IncomingMessage): void {
  if (!this.complete) exchangeOf(this)?.fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
}
