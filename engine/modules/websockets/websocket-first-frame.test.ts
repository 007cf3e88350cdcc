import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SocketMessageEvent } from './events.ts';
import { socketVu, startTestServer, within, type TestServer } from './test-server.ts';

const SOCKETS = 200;

/**
 * The server sends "hello" the instant the upgrade completes, often in the same TCP segment as the 101 answer.
 * A client that emitted frames before the script could attach its handler would lose some of them.
 */
describe('k6/websockets: no first frame is lost', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  for (const where of ['right after construction', 'inside onopen'] as const) {
    it(`${SOCKETS} sockets, the message handler set ${where}: every first frame arrives`, async () => {
      const { vu, WebSocket } = socketVu();
      const received: string[] = [];
      const end = await within(
        vu.runIteration(() => {
          for (let index = 0; index < SOCKETS; index++) {
            const ws = new WebSocket(`${server.url}/greet`);
            const onmessage = (event: SocketMessageEvent): void => {
              received.push(String(event.data));
              ws.close();
            };
            if (where === 'inside onopen') ws.onopen = () => (ws.onmessage = onmessage);
            else ws.onmessage = onmessage;
          }
        }),
        30_000,
      );
      assert.deepEqual(end, { kind: 'done' });
      assert.equal(received.length, SOCKETS);
      assert.ok(received.every((data) => data === 'hello'));
    });
  }

  it('with addEventListener inside onopen, over several iterations of one VU', async () => {
    const { vu, WebSocket } = socketVu();
    let received = 0;
    for (let iteration = 0; iteration < 20; iteration++) {
      const end = await within(
        vu.runIteration(() => {
          const ws = new WebSocket(`${server.url}/greet`);
          ws.addEventListener('open', () =>
            ws.addEventListener('message', () => {
              received++;
              ws.close();
            }),
          );
        }),
      );
      assert.deepEqual(end, { kind: 'done' });
    }
    assert.equal(received, 20);
  });
});
