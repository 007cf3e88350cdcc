import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseHeadReader, type ResponseHead } from './response-head.ts';

const UPGRADE =
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
  'Sec-WebSocket-Protocol:  chat.v2 \r\n\r\n';
const FIRST_FRAME = Buffer.from([0x81, 0x05, ...Buffer.from('hello')]);

function readAll(chunks: Buffer[]): ResponseHead | undefined {
  const reader = new ResponseHeadReader();
  let head: ResponseHead | undefined;
  for (const chunk of chunks) {
    const result = reader.push(chunk);
    if (result !== undefined) {
      assert.equal(head, undefined, 'the head is given once');
      head = result;
    }
  }
  return head;
}

describe('k6/websockets response head', () => {
  it('reads the status line and headers, names in lower case and values trimmed, and keeps what follows', () => {
    const head = readAll([Buffer.concat([Buffer.from(UPGRADE), FIRST_FRAME])])!;
    assert.equal(head.status, 101);
    assert.equal(head.statusText, 'Switching Protocols');
    assert.equal(head.headers.upgrade, 'websocket');
    assert.equal(head.headers['sec-websocket-protocol'], 'chat.v2');
    assert.deepEqual([...head.rest], [...FIRST_FRAME]);
  });

  it('reads the same head however it is split, at every byte, the frames after it intact', () => {
    const bytes = Buffer.concat([Buffer.from(UPGRADE), FIRST_FRAME]);
    const whole = readAll([bytes])!;
    for (let at = 1; at < bytes.length; at++) {
      const head = readAll([bytes.subarray(0, at), bytes.subarray(at)]);
      if (at > UPGRADE.length - 1) {
        // The head is complete in the first chunk: what follows comes as the next chunk, not as `rest`.
        assert.equal(head?.status, 101, `split at ${at}`);
        continue;
      }
      assert.deepEqual({ ...head, rest: [...head!.rest] }, { ...whole, rest: [...whole.rest] }, `split at ${at}`);
    }
    const oneByOne: Buffer[] = [];
    for (let at = 0; at < UPGRADE.length; at++) oneByOne.push(Buffer.from(UPGRADE.slice(at, at + 1), 'latin1'));
    assert.equal(readAll(oneByOne)?.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('keeps its own copy of a head split across chunks: the socket may reuse its read buffer', () => {
    const reader = new ResponseHeadReader();
    const readBuffer = Buffer.from(UPGRADE.slice(0, 40), 'latin1');
    assert.equal(reader.push(readBuffer), undefined);
    readBuffer.fill(0x20);
    assert.equal(reader.push(Buffer.from(UPGRADE.slice(40), 'latin1'))?.headers.upgrade, 'websocket');
  });

  it('gives a refusal its status and headers, repeated headers joined as Node joins them', () => {
    const head = readAll([Buffer.from('HTTP/1.1 403 Forbidden\r\nX-Reason: a\r\nx-reason: b\r\nSet-Cookie: one=1\r\nSet-Cookie: two=2\r\nContent-Length: 2\r\n\r\nno')])!;
    assert.equal(head.status, 403);
    assert.equal(head.headers['x-reason'], 'a, b');
    assert.deepEqual(head.headers['set-cookie'], ['one=1', 'two=2']);
    assert.equal(head.rest.toString(), 'no');
    assert.equal(readAll([Buffer.from('HTTP/1.0 503\r\n\r\n')])?.status, 503);
  });

  it('skips informational answers before the 101, as Node does, and accepts bare LF line ends', () => {
    const head = readAll([Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n'), Buffer.from(UPGRADE)]);
    assert.equal(head?.status, 101);
    assert.equal(head?.headers.link, undefined);
    assert.equal(readAll([Buffer.from('HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\nrest')])?.rest.toString(), 'rest');
  });

  it('refuses what is not an HTTP/1 answer, a malformed header, and a head over 16 KiB, with Node parser error codes', () => {
    const failure = (text: string | Buffer): unknown => {
      try {
        readAll([typeof text === 'string' ? Buffer.from(text) : text]);
      } catch (error) {
        return (error as NodeJS.ErrnoException).code;
      }
      return undefined;
    };
    assert.equal(failure('SSH-2.0-OpenSSH\r\n\r\n'), 'HPE_INVALID_CONSTANT');
    assert.equal(failure('HTTP/1.1 1011 Weird\r\n\r\n'), 'HPE_INVALID_CONSTANT');
    assert.equal(failure('HTTP/1.1 101 OK\r\nno colon here\r\n\r\n'), 'HPE_INVALID_HEADER_TOKEN');
    assert.equal(failure('HTTP/1.1 101 OK\r\nbad name: x\r\n\r\n'), 'HPE_INVALID_HEADER_TOKEN');
    assert.equal(failure(`HTTP/1.1 101 OK\r\nX-Long: ${'a'.repeat(17 * 1024)}`), 'HPE_HEADER_OVERFLOW');
    assert.equal(failure(`HTTP/1.1 101 OK\r\nX-Long: ${'a'.repeat(17 * 1024)}\r\n\r\n`), 'HPE_HEADER_OVERFLOW');
  });
});
