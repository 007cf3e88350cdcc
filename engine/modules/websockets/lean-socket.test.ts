import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { acceptFor } from './client-handshake.ts';
import { LeanSocket } from './lean-socket.ts';
import type { SocketRequest } from './params.ts';
import { within } from './test-server.ts';
import type { TransportSink } from './transport.ts';

/** Everything a connection reported, in order, and a promise of its close. */
class RecordingSink implements TransportSink {
  readonly events: string[] = [];
  status: number | undefined;
  headers: IncomingHttpHeaders | undefined;
  socket: Socket | undefined;
  errors: Error[] = [];
  transport!: LeanSocket;
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  /** What to do on the open event, with the connection. */
  onOpenDo: ((transport: LeanSocket) => void) | undefined;
  onMessageDo: ((transport: LeanSocket, data: Buffer) => void) | undefined;

  constructor() {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }
  onResponse(status: number, headers: IncomingHttpHeaders, socket: Socket): void {
    this.status = status;
    this.headers = headers;
    this.socket = socket;
    this.events.push(`response ${status}`);
  }
  onRefused(): void {
    this.events.push('refused');
    this.transport.terminate();
  }
  onOpen(protocol: string): void {
    this.events.push(`open ${protocol}`);
    this.onOpenDo?.(this.transport);
  }
  onMessage(data: Buffer, isBinary: boolean): void {
    this.events.push(isBinary ? `binary ${data.length}` : `text ${data.toString()}`);
    this.onMessageDo?.(this.transport, data);
  }
  onPing(data: Buffer): void {
    this.events.push(`ping ${data.toString()}`);
  }
  onPong(data: Buffer): void {
    this.events.push(`pong ${data.toString()}`);
  }
  onError(error: Error): void {
    this.errors.push(error);
    this.events.push(`error ${error.message}`);
  }
  readonly onWritten = (error?: Error | null): void => {
    this.events.push(error ? `not written: ${error.message}` : 'written');
  };
  onClose(code: number, reason: string): void {
    this.events.push(`close ${code}${reason ? ` ${reason}` : ''}`);
    this.markClosed();
  }
}

function request(url: string, protocols: string[] = [], headers: Record<string, string> = {}): SocketRequest {
  return { url, protocols, headers, tags: {}, compression: false };
}

function connect(url: string, sink: RecordingSink, options: { protocols?: string[]; headers?: Record<string, string>; handshakeTimeoutMs?: number; rejectUnauthorized?: boolean } = {}): LeanSocket {
  sink.transport = new LeanSocket(request(url, options.protocols, options.headers), { handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000, rejectUnauthorized: options.rejectUnauthorized ?? true }, sink);
  return sink.transport;
}

/** An unmasked server frame. */
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

/** The frames a client sent, unmasked: opcode and payload. */
function clientFrames(bytes: Buffer): Array<{ opcode: number; payload: Buffer }> {
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  let offset = 0;
  while (offset + 6 <= bytes.length) {
    assert.ok((bytes[offset + 1]! & 0x80) !== 0, 'a client frame is masked');
    const length = bytes[offset + 1]! & 0x7f;
    assert.ok(length < 126, 'these tests send short frames');
    const mask = bytes.subarray(offset + 2, offset + 6);
    const payload = Buffer.from(bytes.subarray(offset + 6, offset + 6 + length));
    for (let index = 0; index < length; index++) payload[index] = payload[index]! ^ mask[index % 4]!;
    frames.push({ opcode: bytes[offset]! & 0x0f, payload });
    offset += 6 + length;
  }
  return frames;
}

interface RawConnection {
  socket: Socket;
  request: string;
  key: string;
  /** Everything the client sent after its request. */
  received: Buffer[];
  ended: Promise<void>;
}

/**
 * A TCP server on 127.0.0.1 that plays the server's side by hand: `answer` gets each connection once its upgrade
 * request has arrived, and writes what the test wants, byte by byte if it wants.
 */
async function rawServer(answer: (connection: RawConnection) => void): Promise<{ url: string; connections: RawConnection[]; server: Server }> {
  const connections: RawConnection[] = [];
  const server = createServer((socket) => {
    let head = '';
    let connection: RawConnection | undefined;
    let markEnded: () => void = () => {};
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    socket.on('data', (chunk: Buffer) => {
      if (connection) return void connection.received.push(chunk);
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const key = /sec-websocket-key: (.*)\r\n/i.exec(head)?.[1] ?? '';
      connection = { socket, request: head.slice(0, end + 4), key, received: [], ended };
      const rest = Buffer.from(head.slice(end + 4), 'latin1');
      if (rest.length > 0) connection.received.push(rest);
      connections.push(connection);
      answer(connection);
    });
    socket.on('end', () => markEnded());
    socket.on('error', () => {});
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, connections, server };
}

function upgradeAnswer(key: string, extra = ''): string {
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n${extra}\r\n`;
}

/** Writes the bytes one at a time, each in its own write after a pause: the client reads them in many chunks. */
async function dribble(socket: Socket, bytes: Buffer): Promise<void> {
  for (let index = 0; index < bytes.length; index++) {
    socket.write(bytes.subarray(index, index + 1));
    await new Promise((done) => setTimeout(done, 1));
  }
}

const servers: Server[] = [];
async function serve(answer: (connection: RawConnection) => void): Promise<{ url: string; connections: RawConnection[] }> {
  const started = await rawServer(answer);
  servers.push(started.server);
  return started;
}

describe('k6/websockets lean client: the handshake on a real socket', () => {
  after(() => {
    for (const server of servers) server.close();
  });

  it('reads a 101 and a first frame dribbled byte by byte, the open before the frame', async () => {
    const { url, connections } = await serve((connection) => {
      void dribble(connection.socket, Buffer.concat([Buffer.from(upgradeAnswer(connection.key)), frame(0x1, 'hello'), frame(0x8, closePayload(1000))]));
    });
    const sink = new RecordingSink();
    connect(url, sink, { headers: { 'User-Agent': 'agent-sla-test/1' } });
    await within(sink.closed);
    assert.deepEqual(sink.events, ['response 101', 'open ', 'text hello', 'close 1000']);
    assert.match(connections[0]!.request, /^GET \/ HTTP\/1\.1\r\n/);
    assert.match(connections[0]!.request, /\r\nUser-Agent: agent-sla-test\/1\r\n/);
  });

  it('gives the 101 and the frames sent with it in one write: open first, then every frame', async () => {
    const { url } = await serve((connection) => {
      connection.socket.write(Buffer.concat([Buffer.from(upgradeAnswer(connection.key)), frame(0x1, 'one'), frame(0x2, Buffer.from([1, 2])), frame(0x8, closePayload(1001, 'gone'))]));
    });
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed);
    assert.deepEqual(sink.events, ['response 101', 'open ', 'text one', 'binary 2', 'close 1001 gone']);
  });

  it('a 101 with a wrong accept key is reported after the response, and the connection dropped (1006)', async () => {
    const { url } = await serve((connection) => connection.socket.write(upgradeAnswer('not the key')));
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed);
    assert.deepEqual(sink.events, ['response 101', 'error Invalid Sec-WebSocket-Accept header', 'close 1006']);
  });

  it('a refusal gives its status and headers, then the session drops it', async () => {
    const { url } = await serve((connection) => connection.socket.write('HTTP/1.1 403 Forbidden\r\nX-Reason: no tokens\r\nContent-Length: 2\r\n\r\nno'));
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed);
    assert.equal(sink.status, 403);
    assert.equal(sink.headers?.['x-reason'], 'no tokens');
    assert.deepEqual(sink.events, ['response 403', 'refused', 'error WebSocket was closed before the connection was established', 'close 1006']);
  });

  it('takes the subprotocol the server chose', async () => {
    const { url, connections } = await serve((connection) => connection.socket.write(upgradeAnswer(connection.key, 'Sec-WebSocket-Protocol: chat.v2\r\n') + frame(0x8, '').toString('latin1'), 'latin1'));
    const sink = new RecordingSink();
    connect(url, sink, { protocols: ['chat.v1', 'chat.v2'] });
    await within(sink.closed);
    assert.deepEqual(sink.events, ['response 101', 'open chat.v2', 'close 1005']);
    assert.match(connections[0]!.request, /\r\nSec-WebSocket-Protocol: chat\.v1,chat\.v2\r\n/);
  });

  it('a server that closes without answering: a hang-up, as Node’s http client reports it', async () => {
    const { url } = await serve((connection) => connection.socket.end());
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed);
    assert.deepEqual(sink.events, ['error socket hang up', 'close 1006']);
    assert.equal((sink.errors[0] as NodeJS.ErrnoException).code, 'ECONNRESET');
  });

  it('a server that never answers: the handshake times out', async () => {
    const { url } = await serve(() => {});
    const sink = new RecordingSink();
    connect(url, sink, { handshakeTimeoutMs: 200 });
    await within(sink.closed);
    assert.deepEqual(sink.events, ['error Opening handshake has timed out', 'close 1006']);
  });

  it('a port nobody listens on: the connection error, with its code and address', async () => {
    const { url, server } = await rawServer(() => {});
    await new Promise((done) => server.close(done));
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed);
    assert.deepEqual(sink.events.slice(-1), ['close 1006']);
    const error = sink.errors[0] as NodeJS.ErrnoException & { address?: string };
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.address, '127.0.0.1');
  });
});

describe('k6/websockets lean client: frames and the closing handshake on a real socket', () => {
  after(() => {
    for (const server of servers) server.close();
  });

  it('answers a ping with a pong of the same payload, then reports the ping', async () => {
    const { url, connections } = await serve((connection) => {
      connection.socket.write(upgradeAnswer(connection.key) + frame(0x9, 'are you there').toString('latin1'), 'latin1');
      setTimeout(() => connection.socket.end(frame(0x8, closePayload(1000))), 50);
    });
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed);
    assert.deepEqual(sink.events, ['response 101', 'open ', 'ping are you there', 'close 1000']);
    const frames = clientFrames(Buffer.concat(connections[0]!.received));
    assert.deepEqual(frames[0], { opcode: 0xa, payload: Buffer.from('are you there') });
  });

  it('echoes the server’s close frame with its code and reason, and ends its side', async () => {
    let first: (connection: RawConnection) => void = () => {};
    const connected = new Promise<RawConnection>((resolve) => (first = resolve));
    const { url } = await serve((connection) => {
      connection.socket.write(upgradeAnswer(connection.key) + frame(0x8, closePayload(4000, 'done')).toString('latin1'), 'latin1');
      first(connection);
    });
    const sink = new RecordingSink();
    connect(url, sink);
    const connection = await within(connected);
    await within(connection.ended);
    assert.deepEqual(clientFrames(Buffer.concat(connection.received)), [{ opcode: 0x8, payload: closePayload(4000, 'done') }]);
    assert.deepEqual(sink.events, ['response 101', 'open '], 'the close is reported once the server closed TCP too');
    connection.socket.end();
    await within(sink.closed);
    assert.deepEqual(sink.events.slice(-1), ['close 4000 done']);
  });

  it('closes first: sends its close frame, and reports the code of the server’s answer once TCP is closed', async () => {
    const { url, connections } = await serve((connection) => {
      connection.socket.write(upgradeAnswer(connection.key));
      connection.socket.on('data', (chunk: Buffer) => {
        const close = clientFrames(chunk).find((sent) => sent.opcode === 0x8);
        if (close) connection.socket.end(frame(0x8, close.payload));
      });
    });
    const sink = new RecordingSink();
    sink.onOpenDo = (transport) => {
      transport.sendText('before', 6);
      transport.close(3001, 'client done');
      transport.sendText('after', 5);
    };
    connect(url, sink);
    await within(sink.closed);
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(sink.events, ['response 101', 'open ', 'written', 'not written: WebSocket is not open: readyState 2 (CLOSING)', 'close 3001 client done']);
    const frames = clientFrames(Buffer.concat(connections[0]!.received));
    assert.deepEqual(frames, [
      { opcode: 0x1, payload: Buffer.from('before') },
      { opcode: 0x8, payload: closePayload(3001, 'client done') },
    ]);
  });

  it('a connection dropped without a close frame is 1006', async () => {
    const { url } = await serve((connection) => {
      connection.socket.write(upgradeAnswer(connection.key) + frame(0x1, 'bye').toString('latin1'), 'latin1');
      setTimeout(() => connection.socket.destroy(), 20);
    });
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed);
    assert.deepEqual(sink.events, ['response 101', 'open ', 'text bye', 'close 1006']);
  });

  it('a frame that breaks the protocol: a close frame 1002 is sent, the error reported, and the close is 1006', async () => {
    const { url, connections } = await serve((connection) => connection.socket.write(upgradeAnswer(connection.key) + '\x83\x00', 'latin1'));
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed.then(() => connections[0]!.ended));
    assert.deepEqual(sink.events.slice(2), ['error Invalid WebSocket frame: invalid opcode 3', 'close 1006']);
    assert.deepEqual(clientFrames(Buffer.concat(connections[0]!.received)), [{ opcode: 0x8, payload: closePayload(1002) }]);
  });

  it('counts the bytes of the handshake and the frames on the socket it reports', async () => {
    const { url } = await serve((connection) => connection.socket.end(upgradeAnswer(connection.key) + frame(0x8, '').toString('latin1'), 'latin1'));
    const sink = new RecordingSink();
    connect(url, sink);
    await within(sink.closed);
    assert.ok(sink.socket!.bytesWritten > 100, `${sink.socket!.bytesWritten} bytes written`);
    assert.ok(sink.socket!.bytesRead > 100, `${sink.socket!.bytesRead} bytes read`);
  });
});

describe('k6/websockets lean client against the ws server', () => {
  let wss: WebSocketServer;
  let url = '';
  before(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((ready) => wss.once('listening', ready));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  });
  after(() => new Promise((done) => wss.close(done)));

  it('echoes messages of every length encoding, text and binary', async () => {
    const sizes = [0, 1, 125, 126, 65_535, 65_536, 300_000];
    const sink = new RecordingSink();
    const received: Buffer[] = [];
    sink.onOpenDo = (transport) => {
      for (const size of sizes) transport.sendBinary(new Uint8Array(size).fill(size & 0xff));
      transport.sendText('é'.repeat(40_000), 80_000);
    };
    sink.onMessageDo = (transport, data) => {
      received.push(Buffer.from(data));
      if (received.length === sizes.length + 1) transport.close(1000, '');
    };
    connect(url, sink);
    await within(sink.closed);
    assert.deepEqual(
      received.slice(0, -1).map((data) => data.length),
      sizes,
    );
    assert.ok(received.slice(0, -1).every((data, index) => data.every((byte) => byte === (sizes[index]! & 0xff))));
    assert.equal(received.at(-1)!.toString('utf8'), 'é'.repeat(40_000));
    assert.equal(sink.events.at(-1), 'close 1000');
  });
});

describe('k6/websockets lean client over TLS', () => {
  let url = '';
  let close: () => Promise<unknown>;
  before(async () => {
    const https = createHttpsServer({ cert: readFileSync(new URL('../http/test-cert.pem', import.meta.url)), key: readFileSync(new URL('../http/test-key.pem', import.meta.url)) });
    const wss = new WebSocketServer({ server: https });
    wss.on('connection', (ws, request) => ws.close(1000, request.headers.host ?? ''));
    await new Promise<void>((ready) => https.listen(0, '127.0.0.1', ready));
    url = `wss://localhost:${(https.address() as AddressInfo).port}/`;
    close = () => new Promise((done) => https.close(done));
  });
  after(() => close());

  it('connects when certificates are not verified (insecureSkipTLSVerify)', async () => {
    const sink = new RecordingSink();
    connect(url, sink, { rejectUnauthorized: false });
    await within(sink.closed);
    assert.deepEqual(sink.events, ['response 101', 'open ', `close 1000 ${new URL(url).host}`]);
  });

  it('refuses the self-signed certificate when they are', async () => {
    const sink = new RecordingSink();
    connect(url, sink, { rejectUnauthorized: true });
    await within(sink.closed);
    assert.equal(sink.events.length, 2);
    assert.match(sink.events[0]!, /^error .*(self[- ]signed|unable to verify)/i);
    assert.equal(sink.events[1], 'close 1006');
  });
});
