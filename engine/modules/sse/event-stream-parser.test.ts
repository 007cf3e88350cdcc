import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStreamParser, LINE_TOO_LONG, MAX_LINE_BYTES, UNTERMINATED, type ParsedEvent } from './event-stream-parser.ts';

type Event = Omit<ParsedEvent, 'receivedAt'>;

/** Feeds the stream whole, then byte by byte: the result must not depend on where the chunks split. */
function parseAll(stream: string | Buffer): { events: Event[]; error?: string }[] {
  const bytes = typeof stream === 'string' ? Buffer.from(stream, 'utf8') : stream;
  const splits = [[bytes], [...bytes].map((byte) => Buffer.from([byte]))];
  return splits.map((chunks) => {
    const events: Event[] = [];
    const parser = new EventStreamParser(({ receivedAt, ...event }) => {
      assert.ok(receivedAt > 1e12, 'every event has a receive time');
      events.push(event);
    }, Date.now);
    try {
      for (const chunk of chunks) parser.push(chunk);
      parser.end();
      return { events };
    } catch (error) {
      return { events, error: (error as Error).message };
    }
  });
}

function assertParses(stream: string | Buffer, expected: Event[]): void {
  for (const result of parseAll(stream)) assert.deepEqual(result, { events: expected });
}

const message = (data: string, id = '', name = 'message'): Event => ({ name, data, id });

describe('the event-stream parser', () => {
  it('follows the WHATWG format', () => {
    assertParses('data: hello\n\n', [message('hello')]);
    assertParses('data: a\r\nevent: delta\r\n\r\ndata: b\r\n\r\n', [message('a', '', 'delta'), message('b')]);
    assertParses('data: a\revent: delta\r\rdata: b\r\r', [message('a', '', 'delta'), message('b')]);
    assertParses('data: one\ndata: two\ndata:\n\n', [message('one\ntwo\n')]);
    assertParses('data:  two spaces\ndata:none\n\n', [message(' two spaces\nnone')]);
    assertParses('data\n\n', [message('')]);
    assertParses(': keep-alive\ndata: x\n: between\n\n:\n', [message('x')]);
    assertParses('event: ping\n\ndata: y\n\n', [message('y')]);
    assertParses('id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n', [message('a', '7'), message('b', '7'), message('c')]);
    assertParses('id: 1\n\nid: a\u0000b\ndata: z\n\n', [message('z', '1')]);
    assertParses('retry: 10\nfoo: bar\ndata: q\n\n', [message('q')]);
    assertParses('\uFEFFdata: bom\n\n', [message('bom')]);
    assertParses('data: {"type":"RUN_STARTED","a":"b:c"}\n\n', [message('{"type":"RUN_STARTED","a":"b:c"}')]);
    assertParses('\n\ndata: k\n\n\n\n', [message('k')]);
    assertParses('data: é€😀\n\n', [message('é€😀')]);
    assertParses('', []);
  });

  it('does not take a data line for a blank line, nor a BOM after the first line', () => {
    assertParses('data: a\n\n\uFEFFdata: b\n\n', [message('a')]);
  });

  it('rejects a stream that ends inside an event, but keeps the events before it', () => {
    for (const stream of ['data: a\n\ndata: b\n', 'data: a\n\ndata: no newline', 'data: a\n\nevent: x\n']) {
      for (const result of parseAll(stream)) assert.deepEqual(result, { events: [message('a')], error: UNTERMINATED }, stream);
    }
    assertParses('data: a\n\n: bye\n', [message('a')]);
  });

  it('reads lines longer than one chunk, and bounds them', () => {
    const big = 'x'.repeat(200 * 1024);
    const parser = (events: Event[]) => new EventStreamParser(({ receivedAt: _, ...event }) => events.push(event), Date.now);
    const events: Event[] = [];
    const reader = parser(events);
    const stream = Buffer.from(`data: ${big}\n\ndata: after\n\n`);
    for (let offset = 0; offset < stream.length; offset += 16 * 1024) reader.push(stream.subarray(offset, offset + 16 * 1024));
    reader.end();
    assert.deepEqual(events, [message(big), message('after')]);

    const endless = parser([]);
    const chunk = Buffer.alloc(1024 * 1024, 'y');
    assert.throws(() => {
      for (let index = 0; index <= MAX_LINE_BYTES / chunk.length; index++) endless.push(chunk);
    }, new RegExp(LINE_TOO_LONG));
  });
});
