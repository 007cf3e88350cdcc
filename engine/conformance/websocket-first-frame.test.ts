// A frame the server sends the moment the connection opens reaches a handler the script attaches in its open
// handler (the pattern of the module's own example), or right after constructing the WebSocket: every session,
// not most of them.
// https://grafana.com/docs/k6/latest/javascript-api/k6-websockets/ (example: addEventListener('message') inside the open listener)
// https://grafana.com/docs/k6/latest/javascript-api/k6-websockets/websocket/websocket-onmessage/
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { cleanup, explain, runK6, type RunResult } from './run-k6-script.ts';

const sessions = 100;

const script = (url: string) => `
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { WebSocket } from 'k6/websockets';

const firstFrames = new Counter('first_frames');
const variants = ['onmessageInOnopen', 'onmessageAfterConstruct', 'listenerInOpenListener'];

export const options = {
  scenarios: Object.fromEntries(variants.map((name) => [name, {
    executor: 'shared-iterations', vus: 5, iterations: ${sessions}, maxDuration: '30s', exec: name,
  }])),
  thresholds: Object.fromEntries(variants.flatMap((name) => [
    ['checks{scenario:' + name + '}', ['rate==1']],
    ['first_frames{scenario:' + name + '}', ['count==${sessions}']],
  ])),
};

function session(attach) {
  const ws = new WebSocket('${url}');
  let got = false;
  const onFrame = (event) => {
    if (!got && event.data === 'hello') firstFrames.add(1);
    got = true;
    ws.close();
  };
  // A session whose first frame never shows up gives up after a second.
  const giveUp = setTimeout(() => ws.close(), 1000);
  ws.onclose = () => {
    clearTimeout(giveUp);
    check(got, { 'first frame received': (seen) => seen === true });
  };
  attach(ws, onFrame);
}

export function onmessageInOnopen() {
  session((ws, onFrame) => { ws.onopen = () => { ws.onmessage = onFrame; }; });
}

export function onmessageAfterConstruct() {
  session((ws, onFrame) => { ws.onmessage = onFrame; });
}

export function listenerInOpenListener() {
  session((ws, onFrame) => { ws.addEventListener('open', () => { ws.addEventListener('message', onFrame); }); });
}
`;

describe('WebSocket: the frame a server sends on connection', () => {
  let server: WebSocketServer;
  let url: string;
  let run: RunResult;
  before(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((done) => server.once('listening', done));
    server.on('connection', (socket) => socket.send('hello'));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    cleanup(run);
    for (const client of server.clients) client.terminate();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it(`reaches the script in every one of ${sessions} sessions, for each way of attaching the handler`, async () => {
    run = await runK6(script(url), { summaryExport: true, timeoutMs: 120_000 });
    const report: string[] = [];
    for (const name of ['onmessageInOnopen', 'onmessageAfterConstruct', 'listenerInOpenListener']) {
      const checks = run.summary?.metrics[`checks{scenario:${name}}`];
      const frames = run.summary?.metrics[`first_frames{scenario:${name}}`];
      report.push(`${name}: checks rate ${checks?.value}, first frames ${frames?.count ?? 0}/${sessions}`);
    }
    assert.equal(run.code, 0, `${report.join('\n')}\n${explain(run)}`);
    for (const name of ['onmessageInOnopen', 'onmessageAfterConstruct', 'listenerInOpenListener']) {
      assert.equal(run.summary?.metrics[`checks{scenario:${name}}`]?.value, 1, report.join('\n'));
      assert.equal(run.summary?.metrics[`first_frames{scenario:${name}}`]?.count, sessions, report.join('\n'));
    }
  });
});
