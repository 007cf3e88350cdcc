import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { socketVu, within } from './test-server.ts';

const SOCKETS = 200;
/** The budget per open socket on the VU's side: `ws` client, net.Socket, our session, a handler with a little state. */
const BUDGET_BYTES = 48 * 1024;

/** The server lives in a worker thread: its own heap, so that only the client side is measured here. */
const SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const { WebSocketServer } = require(workerData.ws);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => parentPort.postMessage(wss.address().port));
wss.on('connection', (ws) => ws.send('hello'));
parentPort.on('message', () => { for (const client of wss.clients) client.terminate(); wss.close(() => process.exit(0)); });
`;

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('k6/websockets: memory per open socket', () => {
  let worker: Worker;
  let port = 0;
  before(async () => {
    worker = new Worker(SERVER, { eval: true, workerData: { ws: createRequire(import.meta.url).resolve('ws') } });
    port = await within(new Promise<number>((resolve, reject) => worker.once('message', resolve).once('error', reject)));
  });
  after(async () => {
    worker.postMessage('stop');
    await within(new Promise((done) => worker.once('exit', done)));
  });

  it(`${SOCKETS} open sockets of one VU cost less than ${BUDGET_BYTES / 1024} KiB of heap each`, async () => {
    const gc = collectGarbage();
    const { vu, WebSocket } = socketVu();
    const open: Array<{ close(): void }> = [];
    let opened = 0;
    let allOpen: () => void = () => {};
    const everyoneOpen = new Promise<void>((resolve) => (allOpen = resolve));
    // Warm up the code paths and the metric tables, so that the baseline includes them.
    const warmedUp = vu.runIteration(() => {
      const warm = new WebSocket(`ws://127.0.0.1:${port}/`);
      warm.onmessage = () => warm.close();
    });
    assert.deepEqual(await within(warmedUp), { kind: 'done' });
    gc();
    const before = process.memoryUsage().heapUsed;
    const ended = vu.runIteration(() => {
      for (let index = 0; index < SOCKETS; index++) {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
        const state = { index, messages: [] as string[] };
        ws.onmessage = (event) => {
          state.messages.push(String(event.data));
          if (++opened === SOCKETS) allOpen();
        };
        open.push(ws);
      }
    });
    await within(everyoneOpen, 30_000);
    gc();
    const perSocket = (process.memoryUsage().heapUsed - before) / SOCKETS;
    for (const ws of open) ws.close();
    assert.deepEqual(await within(ended, 30_000), { kind: 'done' });
    console.log(`heap per open socket: ${(perSocket / 1024).toFixed(1)} KiB`);
    assert.ok(perSocket < BUDGET_BYTES, `an open socket costs ${(perSocket / 1024).toFixed(1)} KiB of heap`);
  });
});
