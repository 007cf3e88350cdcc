import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TestOptions } from '../../options/test-options.ts';
import { standaloneVu, type StandaloneVu } from '../../runtime/vu-fixture.ts';
import { BLOCKING_VARIANT } from '../../script/vu-scope.ts';
import { httpModule } from './http-module.ts';
import type { Response } from './response.ts';

/** A server on 127.0.0.1 for one test; `connections` counts the TCP connections it accepted. */
export interface TestServer {
  url: string;
  port: number;
  connections: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: Buffer) => void;

export function startServer(handler: Handler, tls = false): Promise<TestServer> {
  const listener = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, response, Buffer.concat(chunks)));
  };
  const server = tls
    ? https.createServer({ cert: readFileSync(new URL('./test-cert.pem', import.meta.url)), key: readFileSync(new URL('./test-key.pem', import.meta.url)) }, listener)
    : http.createServer(listener);
  const state: TestServer = {
    url: '',
    port: 0,
    connections: 0,
    sockets: new Set(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    state.connections++;
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.port = (server.address() as AddressInfo).port;
      state.url = `${tls ? 'https' : 'http'}://127.0.0.1:${state.port}`;
      resolve(state);
    });
  });
}

/** A port on 127.0.0.1 nobody listens on: a server is opened and closed to find one. */
export async function closedPort(): Promise<number> {
  const server = await startServer(() => {});
  await server.close();
  return server.port;
}

type Variant = (...args: unknown[]) => Promise<unknown>;

/** The module's exports for a fresh standalone VU, with each blocking function's awaitable variant. */
export interface HttpUnderTest extends StandaloneVu {
  exports: Record<string, unknown>;
  get(url: unknown, params?: unknown): Promise<Response>;
  post(url: unknown, body?: unknown, params?: unknown): Promise<Response>;
  request(method: string, url: unknown, body?: unknown, params?: unknown): Promise<Response>;
  batch(requests: unknown): Promise<Response[] | Record<string, Response>>;
  call<T = unknown>(name: string, ...args: unknown[]): T;
}

export function httpUnderTest(overrides: { id?: number; options?: Partial<TestOptions> } = {}): HttpUnderTest {
  const standalone = standaloneVu(overrides);
  const exports = httpModule.instantiate(standalone.vu);
  const variant = (name: string): Variant => (exports[name] as { [BLOCKING_VARIANT]: Variant })[BLOCKING_VARIANT];
  return {
    ...standalone,
    exports,
    get: (url, params) => variant('get')(url, params) as Promise<Response>,
    post: (url, body, params) => variant('post')(url, body, params) as Promise<Response>,
    request: (method, url, body, params) => variant('request')(method, url, body, params) as Promise<Response>,
    batch: (requests) => variant('batch')(requests) as Promise<Response[] | Record<string, Response>>,
    call: <T>(name: string, ...args: unknown[]) => (exports[name] as (...args: unknown[]) => T)(...args),
  };
}

/** The values of one tag over a metric's samples. */
export function tagValues(under: StandaloneVu, metric: string, tag: string): Array<string | undefined> {
  return under.sink.of(metric).map((sample) => sample.tags[tag]);
}
