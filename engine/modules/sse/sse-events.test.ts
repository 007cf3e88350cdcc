import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordAll, sseVu, startSseServer, within, type Delivered, type SseTestServer } from './test-server.ts';

describe('agent-sla/sse: a stream delivers its events', () => {
  let server: SseTestServer;
  before(async () => (server = await startSseServer()));
  after(() => server.close());

  for (const crlf of [false, true]) {
    it(`each event with its own receive time, then close "end" (${crlf ? 'CRLF' : 'LF'} line ends)`, async () => {
      const { vu, open } = sseVu({ userAgent: 'agent-sla-test/1' });
      const delivered: Delivered = [];
      const sentAt = Date.now();
      const end = await within(
        vu.runIteration(() => {
          const stream = open(`${server.url}/stream?events=5&gapMs=3${crlf ? '&crlf=1' : ''}`, {
            headers: { 'Content-Type': 'application/json', 'X-Run': 'fixture' },
            body: '{"runId":"r1"}',
          });
          assert.equal(stream.url, `${server.url}/stream?events=5&gapMs=3${crlf ? '&crlf=1' : ''}`);
          recordAll(stream, delivered);
        }),
      );
      assert.deepEqual(end, { kind: 'done' });
      const seen = server.requests.at(-1)!;
      assert.equal(seen.method, 'POST');
      assert.equal(seen.body, '{"runId":"r1"}');
      assert.equal(seen.headers['content-type'], 'application/json');
      assert.equal(seen.headers['x-run'], 'fixture');
      assert.equal(seen.headers.accept, 'text/event-stream');
      assert.equal(seen.headers['user-agent'], 'agent-sla-test/1');

      assert.deepEqual(delivered.map((event) => event.type), ['open', 'event', 'event', 'event', 'event', 'event', 'close']);
      const [opened, ...rest] = delivered;
      assert.equal(opened!.status, 200);
      assert.deepEqual((opened!.headers as Record<string, string>)['Content-Type'], 'text/event-stream; charset=utf-8');
      assert.equal((opened!.headers as Record<string, string>)['X-Run-Id'], 'r1');
      const events = rest.slice(0, 5);
      assert.deepEqual(
        events.map((event) => [event.name, event.data, event.id]),
        Array.from({ length: 5 }, (_, index) => ['message', `{"delta":"${index}:"}`, '']),
      );
      let previous = opened!.timestamp as number;
      assert.ok(previous >= sentAt - 1, 'opened before the request was sent');
      for (const event of events) {
        assert.ok((event.timestamp as number) >= previous, 'receive times go backwards');
        previous = event.timestamp as number;
      }
      assert.ok(previous <= Date.now() + 1);
      assert.deepEqual({ reason: rest[5]!.reason, events: rest[5]!.events }, { reason: 'end', events: 5 });
    });
  }

  it('hands each event to the script before the server sends the next one, timed when it was read', async () => {
    const { vu, open } = sseVu();
    const events: Array<{ data: string; timestamp: number; ackedAt: number }> = [];
    const end = await within(
      vu.runIteration(() => {
        open(`${server.url}/acked?events=5`).addEventListener('event', (event) => {
          events.push({ data: event.data, timestamp: event.timestamp, ackedAt: server.ack() });
        });
      }),
    );
    assert.deepEqual(end, { kind: 'done' });
    assert.deepEqual(events.map((event) => event.data), ['0', '1', '2', '3', '4']);
    events.forEach((event, index) => {
      assert.ok(event.timestamp >= server.writtenAt[index]!, `event ${index} timed before the server wrote it`);
      assert.ok(event.timestamp <= event.ackedAt, `event ${index} timed after the script handled it`);
    });
  });

  it('named events, ids that carry over, multi-line data, comments and heartbeats', async () => {
    const { vu, open } = sseVu();
    const delivered: Delivered = [];
    const end = await within(vu.runIteration(() => recordAll(open(`${server.url}/fields`, { method: 'get' }), delivered)));
    assert.deepEqual(end, { kind: 'done' });
    assert.equal(server.requests.at(-1)!.method, 'GET');
    assert.deepEqual(
      delivered.filter((event) => event.type === 'event').map((event) => [event.name, event.data, event.id]),
      [
        ['delta', 'one\ntwo', '7'],
        ['message', 'three', '7'],
        ['done', '', '8'],
      ],
    );
    assert.deepEqual(delivered.at(-1)!.events, 3);
  });

  it('the iteration lasts until the close event; a listener may be added late, and only gets what comes after', async () => {
    const { vu, open } = sseVu();
    const delivered: Delivered = [];
    let closedBeforeEnd = false;
    const ended = vu.runIteration(() => {
      const stream = open(`${server.url}/stream?events=3&gapMs=20`);
      stream.addEventListener('event', (event) => {
        if (delivered.length === 0) stream.addEventListener('close', (close) => void delivered.push(close));
        delivered.push(event);
      });
    });
    void ended.then(() => (closedBeforeEnd = delivered.at(-1)?.type === 'close'));
    assert.deepEqual(await within(ended), { kind: 'done' });
    assert.equal(closedBeforeEnd, true);
    assert.deepEqual(delivered.map((event) => event.type), ['event', 'event', 'event', 'close']);
  });

  it('rejects what the Go extension rejected, before sending anything', () => {
    const { vu, open } = sseVu();
    assert.throws(() => open(undefined as unknown as string), /sse.open needs a URL/);
    assert.throws(() => open('ws://127.0.0.1/'), /sse.open needs an http or https URL, got "ws:\/\/127.0.0.1\/"/);
    assert.throws(() => open(`${server.url}/`, { retries: 3 }), /sse.open: unknown option "retries" \(known: method, headers, body, timeout, tags\)/);
    assert.throws(() => open(`${server.url}/`, { timeout: 'soon' }), /sse.open: timeout must be a positive duration such as '90s' or a number of ms, got soon/);
    assert.throws(() => open(`${server.url}/`, { timeout: 0 }), /timeout must be a positive duration/);
    assert.throws(() => open(`${server.url}/`, { body: { a: 1 } }), /sse.open: body must be a string or an ArrayBuffer, got Object/);
    assert.throws(() => open(`${server.url}/`, { tags: { nested: {} } }), /sse.open: invalid tags/);
    const stream = open(`${server.url}/stream?events=1`);
    assert.throws(() => stream.addEventListener('message', () => {}), /unknown stream event "message", the known ones are open, event, error, close/);
    assert.throws(() => stream.addEventListener('event', 'nope'), /addEventListener\("event", …\) needs a function/);
    stream.close();
    vu.setStage('init');
    assert.throws(() => open(`${server.url}/`), /sse.open can only be called in a VU, not in the init context/);
  });
});
