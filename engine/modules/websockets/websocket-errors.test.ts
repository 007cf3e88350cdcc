import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IterationEnd } from '../../runtime/vu.ts';
import { socketVu, startTestServer, within, type TestServer } from './test-server.ts';

function errorOf(end: IterationEnd): string {
  assert.equal(end.kind, 'error');
  return end.kind === 'error' ? String(end.error) : '';
}

describe('k6/websockets: exceptions in handlers', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it('an exception in onmessage ends the iteration with it; as in k6, onerror and onclose still run once', async () => {
    const { vu, WebSocket } = socketVu();
    const events: string[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/echo`);
        ws.onopen = () => {
          ws.send('one');
          ws.send('two');
        };
        ws.onmessage = (event) => {
          events.push(`message ${String(event.data)}`);
          throw new Error('handler gave up');
        };
        ws.onerror = (event) => events.push(`error ${event.error}`);
        ws.onclose = () => events.push(`close ${ws.readyState}`);
      }),
    );
    assert.match(errorOf(end), /handler gave up/);
    assert.deepEqual(events, ['message one', 'error Error: handler gave up', 'close 3']);
    await within(server.connections.at(-1)!.closed);
  });

  it('an exception in onopen ends the iteration with it', async () => {
    const { vu, WebSocket } = socketVu();
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/silent`);
        ws.addEventListener('open', () => {
          throw new ReferenceError('oops is not defined');
        });
      }),
    );
    assert.match(errorOf(end), /oops is not defined/);
    await within(server.connections.at(-1)!.closed);
  });

  it('an exception in onclose or onerror ends the iteration with it', async () => {
    for (const path of ['/close?code=1000', '/refuse']) {
      const { vu, WebSocket } = socketVu();
      const end = await within(
        vu.runIteration(() => {
          const ws = new WebSocket(`${server.url}${path}`);
          ws.onclose = () => {
            throw new Error(`close handler failed on ${path}`);
          };
          ws.onerror = () => {
            throw new Error(`error handler failed on ${path}`);
          };
        }),
      );
      assert.match(errorOf(end), new RegExp(path === '/refuse' ? 'error handler failed' : 'close handler failed'));
    }
  });

  it('a handler that rejects a promise ends the iteration with that error', async () => {
    const { vu, WebSocket } = socketVu();
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/greet`);
        ws.onmessage = async () => {
          await Promise.resolve();
          throw new Error('async handler failed');
        };
      }),
    );
    assert.match(errorOf(end), /async handler failed/);
  });

  it('an event serialises with JSON.stringify (the socket has no enumerable state)', async () => {
    const { vu, WebSocket } = socketVu();
    let json = '';
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/refuse`);
        ws.onerror = (event) => (json = JSON.stringify(event));
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    const parsed = JSON.parse(json) as { type: string; error: string; timestamp: number };
    assert.equal(parsed.type, 'error');
    assert.equal(parsed.error, 'websocket: bad handshake');
    assert.equal(typeof parsed.timestamp, 'number');
  });
});
