import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Blob } from './blob.ts';

describe('k6/websockets Blob', () => {
  it('joins strings, ArrayBuffers, typed arrays (their own range only) and Blobs', async () => {
    const bytes = new Uint8Array([0, 1, 2, 3, 4]);
    const blob = new Blob(['hé', bytes.buffer.slice(4), bytes.subarray(1, 3), new DataView(bytes.buffer, 3, 1), new Blob(['!'])], { type: 'text/plain' });
    assert.equal(blob.size, 3 + 1 + 2 + 1 + 1);
    assert.equal(blob.type, 'text/plain');
    assert.deepEqual([...(await blob.bytes())], [0x68, 0xc3, 0xa9, 4, 1, 2, 3, 0x21]);
    assert.equal(String(blob), '[object Blob]');
  });

  it('reads as text, ArrayBuffer and stream, and the copies it hands out do not change it', async () => {
    const blob = new Blob(['hello']);
    assert.equal(await blob.text(), 'hello');
    const copy = new Uint8Array(await blob.arrayBuffer());
    copy[0] = 0;
    assert.equal(await blob.text(), 'hello');
    const chunks: Uint8Array[] = [];
    for await (const chunk of blob.stream()) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), 'hello');
  });

  it('slices like the File API: negative indexes count from the end, out of range is clamped', async () => {
    const blob = new Blob(['abcdef']);
    assert.equal(await blob.slice(1, 3).text(), 'bc');
    assert.equal(await blob.slice(-2).text(), 'ef');
    assert.equal(await blob.slice(2, -1).text(), 'cde');
    assert.equal(await blob.slice(4, 100).text(), 'ef');
    assert.equal(await blob.slice(5, 2).text(), '');
    assert.equal(blob.slice(0, 1, 'x/y').type, 'x/y');
  });

  it('rejects parts it cannot read and options that are not an object', () => {
    assert.throws(() => new Blob([{} as unknown as string]), /unsupported type/);
    assert.throws(() => new Blob('abc' as unknown as string[]), /must be an array/);
    assert.throws(() => new Blob([], 'text' as unknown as { type: string }), /\[options\] must be an object/);
    assert.equal(new Blob().size, 0);
  });
});
