import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { standaloneVu, type StandaloneVu } from '../../runtime/vu-fixture.ts';
import type { TestOptions } from '../../options/test-options.ts';
import { sseModule } from './index.ts';
import type { Stream } from './stream.ts';

export interface SeenRequest {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set once the client went away before the response ended. */
  disconnected: boolean;
  left: Promise<void>;
}

export interface SseTestServer {
  url: string;
  requests: SeenRequest[];
  /** /acked: lets the server write its next event; returns when the server was told (ms since the epoch). */
  ack(): number;
  /** /acked: when the server wrote each event. */
  writtenAt: number[];
  close(): Promise<void>;
}

/** No response of the test server outlives this: a test that forgets to close cannot hang the run. */
const LONGEST_MS = 10_000;

/**
 * A node:http SSE server on 127.0.0.1. Paths:
 *   /stream?events=N&gapMs=G&crlf=1   N events `data: {"delta":"i:"}`, G ms apart, then the end
 *   /fields        named events, ids, multi-line data, comments and heartbeats, then the end
 *   /status/503    a 503 with body "overloaded\n"
 *   /json          a 200 application/json answer
 *   /hang          one event, then nothing until the client leaves
 *   /silent        no answer at all until the client leaves
 *   /cut           one event, then the connection is destroyed inside the chunked body
 *   /half          one event and half of another, then a clean end (Connection: close)
 *   /endless       an event every 2 ms until the client leaves
 *   /acked?events=N   event i+1 is written only once the test called ack() for event i
 */
export async function startSseServer(): Promise<SseTestServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const acks = new Acks();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      let markLeft: () => void = () => {};
      const seen: SeenRequest = { path: url.pathname, method: request.method ?? '', headers: request.headers, body, disconnected: false, left: new Promise((resolve) => (markLeft = resolve)) };
      requests.push(seen);
      response.on('close', () => {
        seen.disconnected = !response.writableFinished;
        markLeft();
      });
      void answer(url, response, acks);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    ack: () => acks.ack(),
    writtenAt: acks.writtenAt,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

function eventStream(response: ServerResponse, extra: Record<string, string> = {}): void {
  response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Run-Id': 'r1', ...extra });
  response.flushHeaders();
}

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function untilGone(response: ServerResponse): Promise<void> {
  const deadline = Date.now() + LONGEST_MS;
  while (!response.destroyed && Date.now() < deadline) await pause(10);
  response.end();
}

/** Lets /acked write one event per acknowledgement from the test. */
class Acks {
  readonly writtenAt: number[] = [];
  private waiting: (() => void) | undefined;
  private given = 0;

  /** A new /acked stream starts counting again. */
  reset(): void {
    this.writtenAt.length = 0;
    this.given = 0;
  }

  ack(): number {
    this.given++;
    this.waiting?.();
    return performance.timeOrigin + performance.now();
  }

  async next(count: number): Promise<boolean> {
    const deadline = Date.now() + LONGEST_MS;
    while (this.given < count && Date.now() < deadline) await new Promise<void>((resolve) => ((this.waiting = resolve), setTimeout(resolve, 50)));
    return this.given >= count;
  }
}

async function answer(url: URL, response: ServerResponse, acks: Acks): Promise<void> {
  const params = url.searchParams;
  switch (url.pathname) {
    case '/stream': {
      eventStream(response);
      const end = params.get('crlf') ? '\r\n' : '\n';
      for (let index = 0; index < Number(params.get('events') ?? 1) && !response.destroyed; index++) {
        response.write(`data: {"delta":"${index}:"}${end}${end}`);
        if (params.get('gapMs')) await pause(Number(params.get('gapMs')));
      }
      return void response.end();
    }
    case '/acked': {
      acks.reset();
      eventStream(response);
      for (let index = 0; index < Number(params.get('events') ?? 1); index++) {
        if (index > 0 && !(await acks.next(index))) break;
        acks.writtenAt.push(performance.timeOrigin + performance.now());
        response.write(`data: ${index}\n\n`);
      }
      return void response.end();
    }
    case '/fields':
      eventStream(response);
      response.write(': hello\n\nevent: delta\nid: 7\ndata: one\ndata: two\n\n');
      await pause(5);
      response.write(':heartbeat\n\ndata: three\n\nid: 8\nevent: done\ndata:\n\n');
      return void response.end();
    case '/status/503':
      return void response.writeHead(503, { 'Content-Type': 'text/plain' }).end('overloaded\n');
    case '/json':
      return void response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"error":"no stream"}');
    case '/hang':
      eventStream(response);
      response.write('data: only one\n\n');
      return untilGone(response);
    case '/silent':
      return untilGone(response);
    case '/cut':
      eventStream(response);
      response.write('data: whole\n\n');
      await pause(20);
      return void response.socket?.destroy();
    case '/half':
      eventStream(response, { Connection: 'close' });
      return void response.end('data: whole\n\ndata: half');
    case '/endless': {
      eventStream(response);
      const deadline = Date.now() + LONGEST_MS;
      for (let index = 0; !response.destroyed && Date.now() < deadline; index++) {
        response.write(`data: ${index}\n\n`);
        await pause(2);
      }
      return void response.end();
    }
    default:
      response.writeHead(404).end();
  }
}

/** The last request the server saw on that path. */
export function lastRequest(server: SseTestServer, path: string): SeenRequest {
  const seen = [...server.requests].reverse().find((request) => request.path === path);
  if (!seen) throw new Error(`the server saw no request for ${path}`);
  return seen;
}

export interface SseFixture extends StandaloneVu {
  open(url: string, params?: Record<string, unknown>): Stream;
}

export function sseVu(options?: Partial<TestOptions>): SseFixture {
  const fixture = standaloneVu(options ? { options } : {});
  const { open } = sseModule.instantiate(fixture.vu) as { open: SseFixture['open'] };
  return { ...fixture, open };
}

/** Everything one stream delivered, in order. */
export type Delivered = Array<Record<string, unknown>>;

export function recordAll(stream: Stream, into: Delivered): void {
  for (const type of ['open', 'event', 'error', 'close']) stream.addEventListener(type, (event: Record<string, unknown>) => void into.push(event));
}

/** A bound on every wait: the shared machine is slow at times, but never this slow. */
export function within<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
