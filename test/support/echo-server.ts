import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface EchoServer {
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * A tiny real HTTP + WebSocket server for the foundation test: `GET /delay?ms=N` answers after N ms,
 * and `/ws` echoes each text frame after the same kind of delay (`{"delay_ms": N}` in the frame).
 */
export async function startEchoServer(): Promise<EchoServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/delay') {
      res.writeHead(404).end();
      return;
    }
    const ms = Math.min(Number(url.searchParams.get('ms') ?? 0), 5_000);
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), ms);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const { delay_ms: delay = 0 } = JSON.parse(String(data)) as { delay_ms?: number };
      setTimeout(() => socket.send(String(data)), Math.min(delay, 5_000));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    close: () =>
      new Promise((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => done());
      }),
  };
}
