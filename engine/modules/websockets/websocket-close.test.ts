import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { socketVu, startTestServer, within, type TestServer } from './test-server.ts';

describe('k6/websockets: closing', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it('the script closes with a code and reason: the server gets them, the close event has the code echoed', async () => {
    const { vu, WebSocket } = socketVu();
    const events: string[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/silent`);
        ws.onopen = () => ws.close(1000, 'done here');
        ws.onerror = () => events.push('error');
        ws.onclose = (event) => events.push(`close ${event.code}`);
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(events, ['close 1000']);
    assert.deepEqual(await within(server.connections.at(-1)!.closed), { code: 1000, reason: 'done here' });
  });

  it('the server closes with 1001: code and reason reach the close event, with no error', async () => {
    const { vu, WebSocket } = socketVu();
    const events: unknown[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/close?code=1001&reason=closed%20by%20server`);
        ws.onerror = () => events.push('error');
        ws.onclose = (event) => events.push({ code: event.code, reason: event.reason });
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(events, [{ code: 1001, reason: 'closed by server' }]);
  });

  it('the server closes with another code: k6 reports it as an error event first', async () => {
    const { vu, WebSocket } = socketVu();
    const events: string[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/close?code=4002&reason=go%20away`);
        ws.addEventListener('error', (event) => events.push(`error ${event.error}`));
        ws.addEventListener('close', (event) => events.push(`close ${event.code} ${event.reason}`));
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(events, ['error websocket: close 4002: go away', 'close 4002 go away']);
  });

  it('refuses the codes and reasons a client may not send, and a second close() does nothing', async () => {
    const { vu, WebSocket } = socketVu();
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/silent`);
        ws.onopen = () => {
          assert.throws(() => ws.close(1001), /InvalidAccessError: .*The close code must be either 1000, or between 3000 and 4999. 1001 is neither/);
          assert.throws(() => ws.close(1000, 'x'.repeat(124)), /SyntaxError: .*must not be greater than 123 bytes/);
          assert.equal(ws.readyState, 1);
          ws.close(3000, 'x'.repeat(123));
          ws.close(1001);
        };
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal((await within(server.connections.at(-1)!.closed)).code, 3000);
  });

  it('the iteration lasts until the close event has been handled', async () => {
    const { vu, WebSocket } = socketVu();
    let closeHandled = false;
    let settledFirst = false;
    const ended = vu.runIteration(() => {
      const ws = new WebSocket(`${server.url}/silent`);
      ws.onopen = () => setTimeout(() => ws.close(), 50);
      ws.onclose = () => (closeHandled = true);
    });
    void ended.then(() => (settledFirst = !closeHandled));
    assert.deepEqual(await within(ended), { kind: 'done' });
    assert.equal(closeHandled, true);
    assert.equal(settledFirst, false);
  });

  it('an interruption closes the socket, and no handler runs after it', async () => {
    const { vu, WebSocket } = socketVu();
    const events: string[] = [];
    const ended = vu.runIteration(() => {
      const ws = new WebSocket(`${server.url}/echo`);
      ws.onopen = () => {
        events.push('open');
        ws.send('one');
        vu.interrupt();
      };
      ws.onmessage = () => events.push('message');
      ws.onclose = () => events.push('close');
    });
    assert.deepEqual(await within(ended), { kind: 'interrupted' });
    const closed = await within(server.connections.at(-1)!.closed);
    assert.equal(closed.code, 1000);
    await new Promise((done) => setTimeout(done, 50));
    assert.deepEqual(events, ['open']);
  });

  it('an interruption during the handshake drops the connection attempt', async () => {
    const { vu, WebSocket } = socketVu();
    const events: string[] = [];
    const ended = vu.runIteration(() => {
      const ws = new WebSocket(`${server.url}/greet`);
      ws.onopen = () => events.push('open');
      ws.onerror = () => events.push('error');
      ws.onclose = () => events.push('close');
    });
    vu.interrupt();
    assert.deepEqual(await within(ended), { kind: 'interrupted' });
    await new Promise((done) => setTimeout(done, 100));
    assert.deepEqual(events, []);
  });
});
