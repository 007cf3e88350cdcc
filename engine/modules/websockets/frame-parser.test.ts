import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameParser, type FrameSink } from './frame-parser.ts';

/** What the parser reported, as comparable strings; binary payloads as hex. */
class Recorder implements FrameSink {
  readonly events: string[] = [];
  readonly binaries: Buffer[] = [];
  onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) this.binaries.push(data);
    this.events.push(isBinary ? `binary ${data.toString('hex')}` : `text ${data.toString('utf8')}`);
  }
  onPing(data: Buffer): void {
    this.events.push(`ping ${data.toString()}`);
  }
  onPong(data: Buffer): void {
    this.events.push(`pong ${data.toString()}`);
  }
  onCloseFrame(code: number, reason: Buffer): void {
    this.events.push(`close ${code} ${reason.toString()}`);
  }
  onProtocolError(code: number, message: string): void {
    this.events.push(`error ${code} ${message}`);
  }
}

/** An unmasked server frame. */
function frame(opcode: number, payload: string | Buffer, options: { fin?: boolean; first?: number; lengthBytes?: 0 | 2 | 8 } = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const lengthBytes = options.lengthBytes ?? (data.length < 126 ? 0 : data.length < 0x10000 ? 2 : 8);
  const header = Buffer.alloc(2 + lengthBytes);
  header[0] = options.first ?? ((options.fin ?? true ? 0x80 : 0) | opcode);
  if (lengthBytes === 0) header[1] = data.length;
  else if (lengthBytes === 2) {
    header[1] = 126;
    header.writeUInt16BE(data.length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(data.length), 2);
  }
  return Buffer.concat([header, data]);
}

function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

function parse(chunks: Buffer[], maxMessageBytes?: number): Recorder {
  const recorder = new Recorder();
  const parser = new FrameParser(recorder, maxMessageBytes);
  for (const chunk of chunks) parser.push(chunk);
  return recorder;
}

/** Pushes the bytes as the socket's reused read buffer would hold them: each chunk is overwritten once parsed. */
function parseInReusedBuffer(bytes: Buffer, size: number): Recorder {
  const recorder = new Recorder();
  const parser = new FrameParser(recorder);
  const readBuffer = Buffer.alloc(size);
  for (let offset = 0; offset < bytes.length; offset += size) {
    const length = bytes.copy(readBuffer, 0, offset, offset + size);
    parser.push(readBuffer.subarray(0, length));
    readBuffer.fill(0xee);
  }
  return recorder;
}

const large16 = Buffer.alloc(300, 7);
const large64 = Buffer.alloc(70_000, 9);

/** A conversation touching every opcode, every length encoding, fragments with a ping between them. */
const conversation = Buffer.concat([
  frame(0x1, 'hello'),
  frame(0x2, Buffer.from([1, 2, 3])),
  frame(0x1, ''),
  frame(0x2, large16),
  frame(0x1, 'frag', { fin: false }),
  frame(0x9, 'between'),
  frame(0x0, 'men', { fin: false }),
  frame(0x0, 'ted'),
  frame(0x2, large64),
  frame(0xa, 'pong data'),
  frame(0x2, Buffer.from([0xaa]), { fin: false }),
  frame(0x0, Buffer.from([0xbb])),
  frame(0x8, closePayload(1001, 'bye')),
]);

const expected = [
  'text hello',
  'binary 010203',
  'text ',
  `binary ${large16.toString('hex')}`,
  'ping between',
  'text fragmented',
  `binary ${large64.toString('hex')}`,
  'pong pong data',
  'binary aabb',
  'close 1001 bye',
];

describe('k6/websockets frame parser', () => {
  it('reads every opcode and length encoding, and fragments with a control frame between them', () => {
    assert.deepEqual(parse([conversation]).events, expected);
  });

  it('gives the same frames however the bytes are split in two chunks, at every byte of the headers', () => {
    // Every split point in the small frames, and around the headers of the large ones.
    const points = new Set<number>();
    for (let at = 1; at < 120; at++) points.add(at);
    const large64Header = conversation.indexOf(Buffer.from([0x82, 127]));
    for (let at = large64Header - 3; at < large64Header + 14; at++) points.add(at);
    for (let at = conversation.length - 20; at < conversation.length; at++) points.add(at);
    for (const at of points) {
      assert.deepEqual(parse([conversation.subarray(0, at), conversation.subarray(at)]).events, expected, `split at ${at}`);
    }
  });

  it('gives the same frames one byte at a time', () => {
    const bytes: Buffer[] = [];
    for (let at = 0; at < conversation.length; at++) bytes.push(conversation.subarray(at, at + 1));
    assert.deepEqual(parse(bytes).events, expected);
  });

  it('keeps nothing that points into a read buffer the socket reuses: binary messages are copies of their exact size', () => {
    for (const size of [1, 7, 64, 4096, 65_536]) {
      const recorder = parseInReusedBuffer(conversation, size);
      assert.deepEqual(recorder.events, expected, `read buffer of ${size} bytes`);
      for (const binary of recorder.binaries) {
        assert.equal(binary.byteOffset, 0);
        assert.equal(binary.buffer.byteLength, binary.length, 'a binary message is memory of its own, exactly its size');
      }
      assert.deepEqual([...recorder.binaries[0]!], [1, 2, 3], 'still intact once the read buffer was overwritten');
    }
  });

  it('reads 7-, 16- and 64-bit lengths at their limits', () => {
    const sizes = [0, 125, 126, 65_535, 65_536];
    const recorder = parse([Buffer.concat(sizes.map((size) => frame(0x2, Buffer.alloc(size, 1))))]);
    assert.deepEqual(
      recorder.binaries.map((data) => data.length),
      sizes,
    );
    // A length may use a longer encoding than it needs.
    assert.deepEqual(parse([frame(0x1, 'x', { lengthBytes: 8 }), frame(0x1, 'y', { lengthBytes: 2 })]).events, ['text x', 'text y']);
  });

  it('reads a close frame without a code as 1005, and nothing after a close frame', () => {
    assert.deepEqual(parse([Buffer.concat([frame(0x8, ''), frame(0x1, 'late')])]).events, ['close 1005 ']);
    assert.deepEqual(parse([frame(0x8, closePayload(1000)), frame(0x1, 'late')]).events, ['close 1000 ']);
  });

  const violations: Array<[string, Buffer, string]> = [
    ['RSV1 without an extension', frame(0x1, 'x', { first: 0xc1 }), 'error 1002 RSV1 must be clear'],
    ['RSV2', frame(0x1, 'x', { first: 0xa1 }), 'error 1002 RSV2 and RSV3 must be clear'],
    ['RSV3', frame(0x1, 'x', { first: 0x91 }), 'error 1002 RSV2 and RSV3 must be clear'],
    ['a reserved data opcode', frame(0x3, 'x'), 'error 1002 invalid opcode 3'],
    ['a reserved control opcode', frame(0xb, 'x'), 'error 1002 invalid opcode 11'],
    ['a continuation with no message begun', frame(0x0, 'x'), 'error 1002 invalid opcode 0'],
    ['a new message inside a fragmented one', Buffer.concat([frame(0x1, 'a', { fin: false }), frame(0x2, 'b')]), 'error 1002 invalid opcode 2'],
    ['a fragmented control frame', frame(0x9, 'x', { fin: false }), 'error 1002 FIN must be set'],
    ['a control frame over 125 bytes', frame(0x9, Buffer.alloc(126)), 'error 1002 invalid payload length 126'],
    ['a close frame of one byte', frame(0x8, Buffer.from([3])), 'error 1002 invalid payload length 1'],
    ['a close code no one may send', frame(0x8, closePayload(1005)), 'error 1002 invalid status code 1005'],
    ['a close code out of range', frame(0x8, closePayload(2000)), 'error 1002 invalid status code 2000'],
    ['a masked frame', Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x79]), 'error 1002 MASK must be clear'],
    ['a masked frame with a 64-bit length', Buffer.from([0x82, 0xff, 0, 0]), 'error 1002 MASK must be clear'],
  ];
  for (const [what, bytes, error] of violations) {
    it(`reports ${what} as a protocol error, and reads nothing after it`, () => {
      const followed = Buffer.concat([bytes, frame(0x1, 'after')]);
      const events = parse([followed]).events;
      assert.deepEqual(events.slice(-1), [error]);
      assert.ok(!events.includes('text after'));
      // The same, one byte at a time.
      const oneByOne: Buffer[] = [];
      for (let at = 0; at < followed.length; at++) oneByOne.push(followed.subarray(at, at + 1));
      assert.deepEqual(parse(oneByOne).events.slice(-1), [error]);
    });
  }

  it('reports a message over the limit, whole or in fragments, as 1009, before reading its payload', () => {
    assert.deepEqual(parse([frame(0x2, Buffer.alloc(11))], 10).events, ['error 1009 Max payload size exceeded']);
    assert.deepEqual(parse([frame(0x2, Buffer.alloc(10))], 10).events.length, 1);
    assert.deepEqual(parse([frame(0x1, 'abcdef', { fin: false }), frame(0x0, 'ghijk')], 10).events, ['error 1009 Max payload size exceeded']);
    // Only the header arrived: the error does not wait for a payload that may never come.
    const header = frame(0x2, Buffer.alloc(11)).subarray(0, 2);
    assert.deepEqual(parse([header], 10).events, ['error 1009 Max payload size exceeded']);
    const beyondSafeIntegers = Buffer.from([0x82, 127, 0x00, 0x20, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(parse([beyondSafeIntegers]).events, ['error 1009 Unsupported WebSocket frame: payload length > 2^53 - 1']);
  });

  it('reports more than 16,384 fragments in one message as 1008', () => {
    const fragments = [frame(0x1, 'a', { fin: false })];
    for (let index = 0; index < 16_384; index++) fragments.push(frame(0x0, 'a', { fin: false }));
    assert.deepEqual(parse([Buffer.concat(fragments)]).events, ['error 1008 Too many message fragments']);
  });

  it('stops at once when told to, even in the middle of a chunk', () => {
    class StopAfterFirstMessage extends Recorder {
      readonly parser = new FrameParser(this);
      override onMessage(data: Buffer, isBinary: boolean): void {
        super.onMessage(data, isBinary);
        this.parser.stop();
      }
    }
    const recorder = new StopAfterFirstMessage();
    recorder.parser.push(Buffer.concat([frame(0x1, 'one'), frame(0x1, 'two')]));
    recorder.parser.push(frame(0x1, 'three'));
    assert.deepEqual(recorder.events, ['text one']);
  });
});
