import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { acceptFor } from './client-handshake.ts';
import { LeanSocket } from './lean-socket.ts';
import { within } from './test-server.ts';
import type { SocketTransport, TransportOptions, TransportSink } from './transport.ts';
import { WsTransport } from './ws-transport.ts';

function frame(opcode: number, payload: string | Buffer = ''): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from([0x80 | opcode, data.length]), data]);
}

function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + reason.length);
  payload.writeUInt16BE(code);
  payload.write(reason, 2);
  return payload;
}

function accepted(key: string, extra = ''): Buffer {
  return Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n${extra}\r\n`);
}

/** What the server does once the upgrade request has arrived; `key` is the client's Sec-WebSocket-Key. */
const SCENARIOS: Record<string, (socket: Socket, key: string) => void> = {
  'a message, then the server closes': (socket, key) => socket.write(Buffer.concat([accepted(key), frame(0x1, 'hi'), frame(0x8, closePayload(1000, 'bye'))])),
  'a close frame without a code': (socket, key) => socket.write(Buffer.concat([accepted(key), frame(0x8)])),
  'nothing read after the close frame': (socket, key) => socket.write(Buffer.concat([accepted(key), frame(0x8, closePayload(1001)), frame(0x1, 'late')])),
  'a ping': (socket, key) => {
    socket.write(Buffer.concat([accepted(key), frame(0x9, 'p')]));
    socket.once('data', () => socket.write(frame(0x8)));
  },
  'a pong nobody asked for': (socket, key) => socket.write(Buffer.concat([accepted(key), frame(0xa, 'unasked'), frame(0x8)])),
  'the connection dropped after the upgrade': (socket, key) => {
    socket.write(accepted(key));
    setTimeout(() => socket.destroy(), 30);
  },
  'a wrong accept key': (socket) => socket.write(accepted('another key')),
  'a 101 without Connection: upgrade': (socket, key) => socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`),
  'a 101 upgrading to another protocol': (socket, key) => socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`),
  'a refusal': (socket) => socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n'),
  'a hang-up before answering': (socket) => socket.end(),
  'not HTTP': (socket) => socket.write('FOO/1.1 200 OK\r\n\r\n'),
  'an extension not asked for': (socket, key) => socket.write(accepted(key, 'Sec-WebSocket-Extensions: permessage-deflate\r\n')),
  'a subprotocol not asked for': (socket, key) => socket.write(accepted(key, 'Sec-WebSocket-Protocol: chat\r\n')),
  'a reserved opcode': (socket, key) => socket.write(Buffer.concat([accepted(key), Buffer.from([0x83, 0x00])])),
  'a masked frame': (socket, key) => socket.write(Buffer.concat([accepted(key), Buffer.from([0x81, 0x81, 1, 2, 3, 4, 5])])),
  'a close code no one may send': (socket, key) => socket.write(Buffer.concat([accepted(key), frame(0x8, closePayload(1005))])),
  'the client closes first, then sends': (socket, key) => {
    socket.write(accepted(key));
    socket.on('data', (chunk: Buffer) => {
      const close = clientCloseFrame(chunk);
      if (close !== undefined) socket.end(frame(0x8, close));
    });
  },
};

/** What the client does once open, in the scenarios that need it. */
const CLIENT_ACTIONS: Record<string, (transport: SocketTransport) => void> = {
  'the client closes first, then sends': (transport) => {
    transport.sendText('before', 6);
    transport.ping('1');
    transport.close(3001, 'client done');
    transport.sendText('after', 5);
  },
};

/** The unmasked payload of the first close frame among the client's frames in the chunk, if any. */
function clientCloseFrame(chunk: Buffer): Buffer | undefined {
  for (let offset = 0; offset + 6 <= chunk.length; ) {
    const length = chunk[offset + 1]! & 0x7f;
    if ((chunk[offset]! & 0x0f) === 0x8) {
      const payload = Buffer.from(chunk.subarray(offset + 6, offset + 6 + length));
      for (let index = 0; index < length; index++) payload[index] = payload[index]! ^ chunk[offset + 2 + (index % 4)]!;
      return payload;
    }
    offset += 6 + length;
  }
  return undefined;
}

type Transport = new (request: { url: string; protocols: string[]; headers: Record<string, string>; tags: Record<string, string>; compression: boolean }, options: TransportOptions, sink: TransportSink) => SocketTransport;

/** The events a transport reports for one scenario, as strings; errors by their message. */
function eventsOf(Transport: Transport, url: string, onOpen?: (transport: SocketTransport) => void): Promise<string[]> {
  const events: string[] = [];
  return new Promise((resolve) => {
    const sink: TransportSink = {
      onResponse: (status) => events.push(`response ${status}`),
      onRefused: () => {
        events.push('refused');
        transport.terminate();
      },
      onOpen: (protocol) => {
        events.push(`open ${protocol}`);
        onOpen?.(transport);
      },
      onMessage: (data, isBinary) => events.push(`message ${isBinary} ${data.toString()}`),
      onPing: (data) => events.push(`ping ${data.toString()}`),
      onPong: (data) => events.push(`pong ${data.toString()}`),
      onError: (error) => events.push(`error ${error.message}`),
      onWritten: (error) => events.push(`written ${error?.message ?? ''}`),
      onClose: (code, reason) => {
        events.push(`close ${code} ${reason}`);
        // Write callbacks still due come first: the session counts them.
        setImmediate(() => resolve(events));
      },
    };
    const transport = new Transport({ url, protocols: [], headers: { 'User-Agent': 'parity' }, tags: {}, compression: false }, { handshakeTimeoutMs: 10_000, rejectUnauthorized: true }, sink);
  });
}

/**
 * The lean client must behave as the `ws` client did: for each scenario, a raw server on 127.0.0.1 plays it to both,
 * and both must report the same events in the same order, errors with the same messages.
 */
describe('k6/websockets lean client: the same events as the ws client', () => {
  let server: Server;
  let url = '';
  let scenario = '';
  before(async () => {
    server = createServer((socket) => {
      let head = '';
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => {
        if (head.includes('\r\n\r\n')) return;
        head += chunk.toString('latin1');
        const key = /sec-websocket-key: (.*)\r\n/i.exec(head)?.[1];
        if (head.includes('\r\n\r\n') && key !== undefined) SCENARIOS[scenario]!(socket, key);
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise((done) => server.close(done)));

  for (const name of Object.keys(SCENARIOS)) {
    it(name, async () => {
      scenario = name;
      const ws = await within(eventsOf(WsTransport, url, CLIENT_ACTIONS[name]));
      const lean = await within(eventsOf(LeanSocket, url, CLIENT_ACTIONS[name]));
      assert.deepEqual(lean, ws);
    });
  }
});
