import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { socketVu, startTestServer, within, type TestServer } from './test-server.ts';

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

describe('k6/websockets: the handshake', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it('sends the User-Agent, the params headers and the subprotocols, and exposes the one chosen', async () => {
    const { vu, WebSocket } = socketVu({ userAgent: 'agent-sla-test/1' });
    let protocol = '';
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/silent`, ['chat.v1', 'chat.v2'], { headers: { 'X-Lorem': 'ipsum', Authorization: 'Bearer t' } });
        ws.onopen = () => {
          protocol = ws.protocol;
          ws.close();
        };
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(protocol, 'chat.v2');
    const seen = server.connections.at(-1)!;
    assert.equal(seen.headers['user-agent'], 'agent-sla-test/1');
    assert.equal(seen.headers['x-lorem'], 'ipsum');
    assert.equal(seen.headers.authorization, 'Bearer t');
    assert.equal(seen.headers['sec-websocket-protocol'], 'chat.v1,chat.v2');
    assert.equal(seen.headers['sec-websocket-extensions'], undefined, 'compression is off unless asked for');
    assert.equal(seen.protocol, 'chat.v2');
  });

  it('a script header replaces the User-Agent, and a single protocol string is accepted', async () => {
    const { vu, WebSocket } = socketVu();
    let protocol = 'unset';
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/silent`, 'chat.v2', { headers: { 'user-agent': 'mine' }, compression: 'deflate ' });
        ws.onopen = () => {
          protocol = ws.protocol;
          ws.close();
        };
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(protocol, 'chat.v2');
    const seen = server.connections.at(-1)!;
    assert.equal(seen.headers['user-agent'], 'mine');
    assert.match(String(seen.headers['sec-websocket-extensions']), /permessage-deflate/);
  });

  it('a refused upgrade (401) gives an error event then a close event, no open, and the status tag 401', async () => {
    const { vu, WebSocket, sink } = socketVu();
    const events: string[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/refuse`);
        ws.onopen = () => events.push('open');
        ws.onerror = (event) => events.push(`error ${event.error}`);
        ws.onclose = (event) => events.push(`close ${'code' in event} ${ws.readyState}`);
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(events, ['error websocket: bad handshake', 'close false 3']);
    const sessions = sink.of('ws_sessions');
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]!.tags.status, '401');
    assert.equal(sink.of('ws_connecting')[0]!.tags.status, '401');
    assert.equal(sink.of('ws_session_duration').length, 0, 'a session that never opened has no duration');
  });

  it('a connection nobody accepts gives an error then a close, and no status tag', async () => {
    const { vu, WebSocket, sink } = socketVu();
    const port = await unusedPort();
    const events: string[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
        ws.onerror = (event) => events.push(`error ${event.error}`);
        ws.onclose = () => events.push('close');
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(events.length, 2);
    assert.match(events[0]!, /^error dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/);
    assert.equal(events[1], 'close');
    assert.equal(sink.of('ws_sessions').length, 1);
    assert.equal(sink.of('ws_sessions')[0]!.tags.status, undefined);
  });

  it('close() before the handshake ends: no open event, the socket closes once it is up', async () => {
    const { vu, WebSocket } = socketVu();
    const events: string[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/silent`);
        ws.onopen = () => events.push('open');
        ws.onclose = (event) => events.push(`close ${event.code}`);
        ws.close();
        assert.equal(ws.readyState, 2);
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(events, ['close 1000']);
    assert.equal((await within(server.connections.at(-1)!.closed)).code, 1000);
  });

  it('rejects what k6 rejects, before connecting', () => {
    const { WebSocket, vu } = socketVu();
    assert.throws(() => new WebSocket(undefined as unknown as string), /WebSocket requires a url/);
    assert.throws(() => new WebSocket('http://127.0.0.1/'), /WebSocket requires url with scheme ws or wss, but got "http"/);
    assert.throws(() => new WebSocket('ws://127.0.0.1/#part'), /WebSocket requires no url fragment, but got "part"/);
    assert.throws(() => new WebSocket('not a url'), /WebSocket requires valid url/);
    assert.throws(() => new WebSocket(`${server.url}/echo`, null, { cookies: {} }), /unknown WebSocket's option cookies/);
    assert.throws(() => new WebSocket(`${server.url}/echo`, null, { compression: 'gzip' }), /unsupported compression algorithm 'gzip', supported algorithm is 'deflate'/);
    assert.throws(() => new WebSocket(`${server.url}/echo`, null, { tags: { bad: {} } }), /invalid WebSocket tags option/);
    vu.setStage('init');
    assert.throws(() => new WebSocket(`${server.url}/echo`), /init context/);
  });
});
