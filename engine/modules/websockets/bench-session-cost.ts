// What one WebSocket session costs the client in CPU, with the `ws` client (the path k6/websockets took before) and
// with the lean client. A session: connect, receive one text frame, send one, the server closes.
// The server runs in a child process, so that only the client's CPU is counted (process.cpuUsage()). Each round
// runs every path once, in alternating order; the machine may be busy, so the medians over the rounds are printed,
// and the median of each round's ratio (both paths of a round ran under about the same load).
// Two levels: the connection alone (a sink that replies once), and the whole k6 session (SocketSession in a VU's
// iteration, metrics and events included), which is what a WebSocket-heavy test pays per iteration.
//   npx tsx engine/modules/websockets/bench-session-cost.ts
//   (BENCH_ROUNDS=7 BENCH_SESSIONS=2000 BENCH_CONCURRENCY=50 BENCH_LEVEL=both|transport|session)
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { standaloneVu } from '../../runtime/vu-fixture.ts';
import { LeanSocket } from './lean-socket.ts';
import { parseSocketRequest, type SocketRequest } from './params.ts';
import { SocketSession, type OpenTransport } from './session.ts';
import { VuSockets } from './socket-metrics.ts';
import type { SocketTransport, TransportOptions, TransportSink } from './transport.ts';
import { WsTransport } from './ws-transport.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const sessions = Number(process.env.BENCH_SESSIONS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const level = process.env.BENCH_LEVEL ?? 'both';

const SERVER = `
const { WebSocketServer } = require(process.env.WS_MODULE);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false }, () => console.log(wss.address().port));
wss.on('connection', (ws) => {
  ws.send('hello');
  ws.on('message', () => ws.close(1000));
});
`;

const OPTIONS: TransportOptions = { handshakeTimeoutMs: 60_000, rejectUnauthorized: true };
const paths: Record<string, OpenTransport> = {
  ws: (request, options, sink) => new WsTransport(request, options, sink),
  lean: (request, options, sink) => new LeanSocket(request, options, sink),
};

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], {
    env: { ...process.env, WS_MODULE: createRequire(import.meta.url).resolve('ws') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((next) => [next.value as string]);
  return { url: `ws://127.0.0.1:${Number(line)}/`, child };
}

/** The connection alone, driven by a sink that does what a script's session would: reply once, wait for the close. */
class ReplyOnce implements TransportSink {
  transport: SocketTransport | undefined;
  messages = 0;
  constructor(private readonly done: (ok: boolean) => void) {}
  onResponse(): void {}
  onRefused(): void {
    this.transport?.terminate();
  }
  onOpen(): void {}
  onMessage(): void {
    this.messages++;
    this.transport!.sendText('reply', 5);
  }
  onPing(): void {}
  onPong(): void {}
  onError(): void {}
  readonly onWritten = (): void => {};
  onClose(code: number): void {
    this.done(code === 1000 && this.messages === 1);
  }
}

function transportBatch(request: SocketRequest, open: OpenTransport): Promise<number> {
  return new Promise((resolve, reject) => {
    let started = 0;
    let finished = 0;
    const startOne = (): void => {
      started++;
      const sink = new ReplyOnce((ok) => {
        if (!ok) return reject(new Error('a session did not go as expected'));
        if (++finished === sessions) return resolve(finished);
        if (started < sessions) startOne();
      });
      sink.transport = open(request, OPTIONS, sink);
    };
    for (let index = 0; index < Math.min(concurrency, sessions); index++) startOne();
  });
}

/** The whole k6 session: VUs running one session per iteration, as a WebSocket-heavy test does. */
async function sessionBatch(url: string, open: OpenTransport): Promise<number> {
  let started = 0;
  let received = 0;
  const target = {};
  const runVu = async (): Promise<void> => {
    const { vu } = standaloneVu();
    const sockets = new VuSockets(vu);
    const request = parseSocketRequest(vu.options, url, null, null);
    while (started < sessions) {
      started++;
      const end = await vu.runIteration(() => {
        const session = new SocketSession(sockets, target, { ...request }, open);
        session.listeners.add('message', () => {
          received++;
          session.send('reply');
        });
      });
      if (end.kind !== 'done') throw new Error(`iteration ended with ${end.kind}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sessions) }, runVu));
  if (received !== sessions) throw new Error(`${received} messages for ${sessions} sessions`);
  return sessions;
}

/** Client CPU per session, in ms. */
async function measure(run: () => Promise<number>): Promise<number> {
  const before = process.cpuUsage();
  const count = await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const { url, child } = await startServer();
  const request = parseSocketRequest(standaloneVu().vu.options, url, null, null);
  const levels = level === 'both' ? ['transport', 'session'] : [level];
  const batch = (kind: string, open: OpenTransport): (() => Promise<number>) =>
    kind === 'transport' ? () => transportBatch(request, open) : () => sessionBatch(url, open);
  const results: Record<string, number[]> = {};
  try {
    for (const kind of levels) for (const [name, open] of Object.entries(paths)) await batch(kind, open)(); // warm-up
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 ? Object.keys(paths) : Object.keys(paths).reverse();
      const line: string[] = [];
      for (const kind of levels) {
        for (const name of order) {
          const ms = await measure(batch(kind, paths[name]!));
          (results[`${kind} ${name}`] ??= []).push(ms);
          line.push(`${kind} ${name} ${ms.toFixed(3)}`);
        }
      }
      console.log(`round ${round}: ${line.join(', ')} ms CPU per session`);
    }
  } finally {
    child.kill();
  }
  console.log(`\nmedian of ${rounds} rounds, ${sessions} sessions each, ${concurrency} at a time (client CPU per session):`);
  for (const kind of levels) {
    const ws = results[`${kind} ws`]!;
    const lean = results[`${kind} lean`]!;
    const ratios = ws.map((value, round) => value / lean[round]!);
    console.log(`  ${kind.padEnd(9)}  ws ${median(ws).toFixed(3)} ms   lean ${median(lean).toFixed(3)} ms   ws ÷ lean ${median(ratios).toFixed(2)}× (median of the rounds' ratios)`);
  }
}

await main();
