import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { standaloneVu, type StandaloneVu } from '../../runtime/vu-fixture.ts';
import type { TestOptions } from '../../options/test-options.ts';
import { websocketsModule, type Blob, type VuWebSocketConstructor } from './index.ts';

/** What the test server saw of one connection. */
export interface SeenConnection {
  path: string;
  headers: IncomingHttpHeaders;
  protocol: string;
  messages: Array<{ data: Buffer; isBinary: boolean }>;
  closed: Promise<{ code: number; reason: string }>;
}

export interface TestServer {
  url: string;
  connections: SeenConnection[];
  close(): Promise<void>;
}

/**
 * A real `ws` server on 127.0.0.1 whose behaviour depends on the path:
 *   /echo          echoes every frame, text as text and binary as binary
 *   /greet         sends "hello" the instant the upgrade completes
 *   /close?code=&reason=   closes at once with that code and reason
 *   /ping          pings the client at once
 *   /silent        accepts and sends nothing
 *   /refuse        answers the upgrade with 401
 * The subprotocol "chat.v2" is accepted when offered.
 */
export async function startTestServer(): Promise<TestServer> {
  const connections: SeenConnection[] = [];
  const http: Server = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : false) });
  const sockets = new Set<Socket>();
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  http.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/refuse') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 6\r\nConnection: close\r\n\r\nno way');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws, url, request.headers, connections));
  });
  await new Promise<void>((ready) => http.listen(0, '127.0.0.1', ready));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => http.close(done));
    },
  };
}

function serve(ws: ServerSocket, url: URL, headers: IncomingHttpHeaders, connections: SeenConnection[]): void {
  const seen: SeenConnection = {
    path: url.pathname,
    headers,
    protocol: ws.protocol,
    messages: [],
    closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
  connections.push(seen);
  ws.on('message', (data: Buffer, isBinary) => {
    seen.messages.push({ data, isBinary });
    if (url.pathname === '/echo') ws.send(data, { binary: isBinary });
  });
  if (url.pathname === '/greet') ws.send('hello');
  if (url.pathname === '/ping') ws.ping('from server');
  if (url.pathname === '/close') ws.close(Number(url.searchParams.get('code')), url.searchParams.get('reason') ?? '');
}

export interface SocketFixture extends StandaloneVu {
  WebSocket: VuWebSocketConstructor;
  Blob: typeof Blob;
}

export function socketVu(options?: Partial<TestOptions>): SocketFixture {
  const fixture = standaloneVu(options ? { options } : {});
  const exports = websocketsModule.instantiate(fixture.vu) as { WebSocket: VuWebSocketConstructor; Blob: typeof Blob };
  return { ...fixture, WebSocket: exports.WebSocket, Blob: exports.Blob };
}

/** A bound on every wait: the shared machine is slow at times, but never this slow. */
export function within<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
