import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lastRequest, sseVu, startSseServer, within, type Delivered, type SseTestServer } from './test-server.ts';

describe('agent-sla/sse: ending a stream from the script or the VU', () => {
  let server: SseTestServer;
  before(async () => (server = await startSseServer()));
  after(() => server.close());

  it('close() from a listener: no event after it, the close event says "closed" once, after the listener returned', async () => {
    const { vu, open } = sseVu();
    const delivered: Delivered = [];
    let listenerDone = false;
    let closeSawListenerDone = false;
    const end = await within(
      vu.runIteration(() => {
        const stream = open(`${server.url}/endless`);
        stream.addEventListener('event', (event) => {
          delivered.push(event);
          if (delivered.length === 3) {
            stream.close();
            stream.close();
            listenerDone = true;
          }
        });
        stream.addEventListener('error', (event) => void delivered.push(event));
        stream.addEventListener('close', (event) => {
          closeSawListenerDone = listenerDone;
          delivered.push(event);
        });
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(delivered.map((event) => event.type), ['event', 'event', 'event', 'close']);
    assert.deepEqual([delivered[3]!.reason, delivered[3]!.events], ['closed', 3]);
    assert.equal(closeSawListenerDone, true);
    const seen = lastRequest(server, '/endless');
    await within(seen.left);
    assert.equal(seen.disconnected, true);
  });

  it('a listener that throws ends the iteration with its error, drops the stream, and no close event follows', async () => {
    const { vu, open } = sseVu();
    const types: unknown[] = [];
    const end = await within(
      vu.runIteration(() => {
        const stream = open(`${server.url}/endless`);
        let events = 0;
        stream.addEventListener('event', () => {
          if (++events === 2) throw new Error('listener gave up after 2 events');
        });
        stream.addEventListener('close', (event) => void types.push(event.type));
      }),
    );
    assert.equal(end.kind, 'error');
    assert.match(String((end as { error: unknown }).error), /listener gave up after 2 events/);
    await within(lastRequest(server, '/endless').left);
    await new Promise((done) => setTimeout(done, 50));
    assert.deepEqual(types, []);
  });

  it('an interruption closes the stream: nothing reaches the script afterwards', async () => {
    const { vu, open } = sseVu();
    let events = 0;
    let closes = 0;
    const ended = vu.runIteration(() => {
      const stream = open(`${server.url}/endless`);
      stream.addEventListener('event', () => {
        if (++events === 2) vu.interrupt();
      });
      stream.addEventListener('close', () => closes++);
    });
    assert.deepEqual(await within(ended), { kind: 'interrupted' });
    await within(lastRequest(server, '/endless').left);
    await new Promise((done) => setTimeout(done, 50));
    assert.deepEqual([events, closes], [2, 0]);
  });

  it('several streams of one VU run side by side; each closes once', async () => {
    const { vu, open } = sseVu();
    const closes: unknown[] = [];
    const end = await within(
      vu.runIteration(() => {
        for (let index = 0; index < 5; index++) {
          open(`${server.url}/stream?events=${index + 1}&gapMs=2`).addEventListener('close', (event) => void closes.push(event.events));
        }
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual([...closes].sort(), [1, 2, 3, 4, 5]);
  });
});
