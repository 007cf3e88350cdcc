import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/** What the server saw of one streaming request. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Date.now() when event i was written. */
  writtenAt: number[];
  /** Date.now() when the client acknowledged event i (ack mode only). */
  ackedAt: number[];
  /** The client went away before the server finished. */
  disconnected: boolean;
}

export interface SseServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

const maxEvents = 100_000;
const hangLimitMs = 30_000;

/** The frame of event i of an AG-UI-like run: one `data:` line of JSON, CRLF or LF line ends. */
export function eventFrame(i: number, bytes: number, crlf = false): string {
  const delta = 'x'.repeat(Math.max(0, bytes));
  const json = JSON.stringify({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: `${i}:${delta}` });
  return crlf ? `data: ${json}\r\n\r\n` : `data: ${json}\n\n`;
}

/**
 * A real Server-Sent Events server on 127.0.0.1 for the agent-sla/sse tests and bench.
 *   POST|GET /stream?events=N&bytes=B&gapMs=G&ack=1&crlf=1   N events; with ack=1, event i+1 is written only
 *                                                             after `GET /ack?i=i` arrives
 *   /hang            one event, then nothing until the client leaves
 *   /status/503      a plain 503
 *   /json            200 with application/json
 *   /ws              WebSocket: on any text message, sends N text frames of the same JSON (`{"events":N,"bytes":B}`)
 */
export async function startSseServer(): Promise<SseServer> {
  const requests: SeenRequest[] = [];
  const waitingAcks = new Map<number, () => void>();
  let current: SeenRequest | undefined;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/ack') {
      const i = Number(url.searchParams.get('i'));
      current?.ackedAt.push(Date.now());
      waitingAcks.get(i)?.();
      res.writeHead(204).end();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', path: url.pathname, headers: req.headers, body, writtenAt: [], ackedAt: [], disconnected: false };
      requests.push(seen);
      current = seen;
      res.on('close', () => (seen.disconnected = !res.writableFinished));
      void respond(url, res, seen, waitingAcks);
    });
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const { events = 1, bytes = 0 } = JSON.parse(String(data)) as { events?: number; bytes?: number };
      for (let i = 0; i < Math.min(events, maxEvents); i++) {
        socket.send(JSON.stringify({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: `${i}:${'x'.repeat(bytes)}` }));
      }
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

// Unref'd, so a wait left over after close() never holds the process open.
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms).unref());

/** Resolves when res drains or closes, leaving no listener behind. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((done) => {
    const go = (): void => {
      res.off('drain', go).off('close', go);
      done();
    };
    res.on('drain', go).on('close', go);
  });
}

async function respond(url: URL, res: ServerResponse, seen: SeenRequest, waitingAcks: Map<number, () => void>): Promise<void> {
  const streamHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
  switch (url.pathname) {
    case '/status/503':
      res.writeHead(503, { 'content-type': 'text/plain' }).end('overloaded');
      return;
    case '/json':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"error":"no stream here"}');
      return;
    case '/hang':
      res.writeHead(200, streamHeaders);
      res.write(eventFrame(0, 0));
      seen.writtenAt.push(Date.now());
      await Promise.race([new Promise((gone) => res.on('close', gone)), sleep(hangLimitMs)]);
      res.end();
      return;
    case '/stream': {
      const events = Math.min(Number(url.searchParams.get('events') ?? 1), maxEvents);
      const bytes = Number(url.searchParams.get('bytes') ?? 0);
      const gapMs = Number(url.searchParams.get('gapMs') ?? 0);
      const ack = url.searchParams.get('ack') === '1';
      const crlf = url.searchParams.get('crlf') === '1';
      res.writeHead(200, streamHeaders);
      res.write(crlf ? ': opened\r\n\r\n' : ': opened\n\n');
      for (let i = 0; i < events && !res.destroyed; i++) {
        const acked = ack ? new Promise<void>((done) => waitingAcks.set(i, done)) : undefined;
        seen.writtenAt.push(Date.now());
        if (!res.write(eventFrame(i, bytes, crlf))) await writable(res);
        if (acked) await Promise.race([acked, sleep(hangLimitMs)]);
        if (gapMs > 0) await sleep(gapMs);
      }
      res.end();
      return;
    }
    default:
      res.writeHead(404).end();
  }
}
