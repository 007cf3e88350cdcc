import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesFrame, closeFrame, OPCODE_BINARY, OPCODE_CLOSE, OPCODE_PING, OPCODE_TEXT, stringFrame } from './frame-writer.ts';

interface ReadFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  lengthBytes: number;
  mask: Buffer;
  payload: Buffer;
}

/** Reads one client frame as a server would, unmasking its payload; the frame must be exactly the buffer. */
function readClientFrame(frame: Buffer): ReadFrame {
  let length = frame[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    length = frame.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    length = Number(frame.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = frame.subarray(offset, offset + 4);
  const payload = Buffer.from(frame.subarray(offset + 4));
  assert.equal(payload.length, length, 'the frame is exactly its header and payload');
  for (let index = 0; index < payload.length; index++) payload[index] = payload[index]! ^ mask[index % 4]!;
  return { fin: (frame[0]! & 0x80) !== 0, rsv: frame[0]! & 0x70, opcode: frame[0]! & 0x0f, masked: (frame[1]! & 0x80) !== 0, lengthBytes: offset - 2, mask, payload };
}

describe('k6/websockets frame writer', () => {
  it('writes a text frame as one final, masked frame, the text in UTF-8', () => {
    const text = 'héllo wörld';
    const frame = readClientFrame(stringFrame(OPCODE_TEXT, text, Buffer.byteLength(text)));
    assert.deepEqual([frame.fin, frame.rsv, frame.opcode, frame.masked], [true, 0, OPCODE_TEXT, true]);
    assert.equal(frame.payload.toString('utf8'), text);
  });

  it('uses the 7-, 16- or 64-bit length as the payload needs, at every limit and every masking remainder', () => {
    const cases: Array<[number, number]> = [
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
      [5, 0],
      [125, 0],
      [126, 2],
      [65_535, 2],
      [65_536, 8],
      [100_003, 8],
    ];
    for (const [size, lengthBytes] of cases) {
      const bytes = Buffer.alloc(size);
      for (let index = 0; index < size; index++) bytes[index] = (index * 31) & 0xff;
      const frame = readClientFrame(bytesFrame(OPCODE_BINARY, bytes));
      assert.equal(frame.lengthBytes, lengthBytes, `${size} bytes`);
      assert.ok(frame.payload.equals(bytes), `${size} bytes come back unmasked as they were`);
      const text = 'a'.repeat(size);
      assert.equal(readClientFrame(stringFrame(OPCODE_TEXT, text, size)).payload.toString(), text);
    }
  });

  it('copies the bytes of a view, only its own range, and leaves the caller’s bytes as they were', () => {
    const source = new Uint8Array([9, 1, 2, 3, 4, 5, 9]);
    const view = source.subarray(1, 6);
    const frame = readClientFrame(bytesFrame(OPCODE_BINARY, view));
    assert.deepEqual([...frame.payload], [1, 2, 3, 4, 5]);
    assert.deepEqual([...source], [9, 1, 2, 3, 4, 5, 9]);
  });

  it('draws a new masking key for each frame', () => {
    const keys = new Set<string>();
    for (let index = 0; index < 100; index++) keys.add(readClientFrame(stringFrame(OPCODE_PING, 'x', 1)).mask.toString('hex'));
    assert.ok(keys.size > 95, `${keys.size} distinct keys in 100 frames`);
  });

  it('writes a close frame with its code and reason, or no payload without a code', () => {
    const withReason = readClientFrame(closeFrame(4001, 'fini é'));
    assert.equal(withReason.opcode, OPCODE_CLOSE);
    assert.equal(withReason.payload.readUInt16BE(0), 4001);
    assert.equal(withReason.payload.subarray(2).toString('utf8'), 'fini é');
    assert.deepEqual([...readClientFrame(closeFrame(1000, '')).payload], [0x03, 0xe8]);
    assert.equal(readClientFrame(closeFrame(1001, Buffer.from('as bytes'))).payload.subarray(2).toString(), 'as bytes');
    assert.equal(readClientFrame(closeFrame(undefined, '')).payload.length, 0);
    assert.equal(readClientFrame(closeFrame(1005, 'ignored')).payload.length, 0, '1005 means no code: nothing is sent');
  });
});
