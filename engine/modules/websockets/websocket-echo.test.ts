import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { socketVu, startTestServer, within, type TestServer } from './test-server.ts';

describe('k6/websockets: sending and receiving', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it('echoes a text frame, with the readyState, url and timestamps k6 gives', async () => {
    const { vu, WebSocket } = socketVu();
    const seen: string[] = [];
    const url = `${server.url}/echo`;
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(url);
        seen.push(`state ${ws.readyState} ${ws.url === url}`);
        ws.onopen = () => {
          seen.push(`open ${ws.readyState}`);
          ws.send('ping me');
        };
        ws.onmessage = (event) => {
          const message = event as { data: unknown; type: string; timestamp: number; origin: string };
          assert.ok(Math.abs(message.timestamp - Date.now()) < 5_000, `timestamp ${message.timestamp} is not ms since the epoch`);
          seen.push(`${message.type} ${String(message.data)} ${message.origin === url}`);
          ws.close();
          seen.push(`closing ${ws.readyState}`);
        };
        ws.onclose = () => seen.push(`close ${ws.readyState}`);
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(seen, ['state 0 true', 'open 1', 'message ping me true', 'closing 2', 'close 3']);
  });

  it('gives binary frames as a Blob by default, and as an ArrayBuffer with binaryType arraybuffer', async () => {
    const { vu, WebSocket, Blob } = socketVu();
    const received: unknown[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/echo`);
        assert.equal(ws.binaryType, 'blob');
        ws.onopen = () => ws.send(new Uint8Array([164, 41]).buffer);
        ws.onmessage = async (event) => {
          const data = event.data;
          received.push(data);
          if (received.length === 1) {
            assert.ok(data instanceof Blob);
            assert.deepEqual([...new Uint8Array(await data.arrayBuffer())], [164, 41]);
            ws.binaryType = 'arraybuffer';
            ws.send(new Uint8Array([1, 2, 3, 4, 5, 6]).subarray(1, 3));
          } else {
            assert.ok(data instanceof ArrayBuffer);
            assert.deepEqual([...new Uint8Array(data)], [2, 3]);
            ws.close();
          }
        };
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(received.length, 2);
  });

  it('sends a Blob and typed arrays as binary frames, strings as text, and counts bufferedAmount in bytes', async () => {
    const { vu, WebSocket, Blob } = socketVu();
    const amounts: number[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/echo`);
        let echoes = 0;
        ws.onopen = () => {
          ws.send(new Blob(['ab', new Uint8Array([99])]));
          amounts.push(ws.bufferedAmount);
          ws.send(new Uint16Array([0x0201]));
          amounts.push(ws.bufferedAmount);
          ws.send('é');
          amounts.push(ws.bufferedAmount);
        };
        ws.onmessage = () => {
          if (++echoes === 3) ws.close();
        };
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(amounts, [3, 5, 7]);
    const messages = server.connections.at(-1)!.messages;
    assert.deepEqual(
      messages.map((m) => [m.isBinary, [...m.data]]),
      [
        [true, [97, 98, 99]],
        [true, [1, 2]],
        [false, [0xc3, 0xa9]],
      ],
    );
  });

  it('refuses to send before the socket is open, or something that is not data, and rejects a bad binaryType', async () => {
    const { vu, WebSocket } = socketVu();
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/echo`);
        assert.throws(() => ws.send('too early'), /InvalidStateError/);
        assert.throws(() => ws.ping(), /InvalidStateError/);
        assert.throws(() => (ws.binaryType = 'text'), /unknown binaryType text/);
        ws.onopen = () => {
          assert.throws(() => ws.send({} as unknown as string), /unsupported send type/);
          ws.close();
        };
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
  });

  it('calls the on… handler first, then the listeners added, and null removes a handler', async () => {
    const { vu, WebSocket, logs } = socketVu();
    const calls: string[] = [];
    const end = await within(
      vu.runIteration(() => {
        const ws = new WebSocket(`${server.url}/greet`);
        ws.addEventListener('message', () => calls.push('listener'));
        ws.onmessage = () => calls.push('first handler');
        ws.onmessage = () => {
          calls.push('on handler');
          ws.close();
        };
        ws.onclose = () => calls.push('removed');
        ws.onclose = null;
        ws.addEventListener('nonsense', () => {});
        assert.throws(() => ws.addEventListener('open', undefined), /handler for event type "open" isn't a callable function/);
        assert.throws(() => ((ws as unknown as { onopen: unknown }).onopen = 1), /a value for 'onopen' should be callable/);
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(calls, ['on handler', 'listener']);
    assert.ok(logs.some((log) => log.level === 'warn' && log.message.includes('unknown event type: nonsense')));
  });
});
