import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { lastRequest, recordAll, sseVu, startSseServer, within, type Delivered, type SseFixture, type SseTestServer } from './test-server.ts';

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

/** Runs one iteration that opens the stream and records everything; returns what was delivered. */
async function stream(fixture: SseFixture, url: string, params?: Record<string, unknown>): Promise<Delivered> {
  const delivered: Delivered = [];
  const end = await within(fixture.vu.runIteration(() => recordAll(fixture.open(url, params), delivered)));
  assert.deepEqual(end, { kind: 'done' });
  return delivered;
}

/** The error event, and the close event that must follow it last. */
function failureOf(delivered: Delivered): { kind: unknown; status: unknown; error: string; events: number } {
  const error = delivered.at(-2)!;
  const close = delivered.at(-1)!;
  assert.equal(error.type, 'error');
  assert.deepEqual([close.type, close.reason], ['close', 'error']);
  assert.equal(delivered.filter((event) => event.type === 'close').length, 1);
  return { kind: error.kind, status: error.status, error: error.error as string, events: close.events as number };
}

describe('agent-sla/sse: each failure is named, then the stream closes', () => {
  let server: SseTestServer;
  before(async () => (server = await startSseServer()));
  after(() => server.close());

  it('a non-2xx status: kind "status", no open event, and the answer counts in http_reqs', async () => {
    const fixture = sseVu();
    const url = `${server.url}/status/503`;
    const delivered = await stream(fixture, url, { tags: { name: 'sse-fixture' } });
    const failure = failureOf(delivered);
    assert.deepEqual([failure.kind, failure.status, failure.events], ['status', 503, 0]);
    assert.equal(failure.error, `status error: POST ${url} answered 503 Service Unavailable: "overloaded\\n"`);
    assert.equal(delivered.length, 2, 'a failed response is not an open stream');
    const requests = fixture.sink.of('http_reqs');
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.tags.status, '503');
    assert.equal(requests[0]!.tags.name, 'sse-fixture');
  });

  it('a 2xx answer that is not an event stream: kind "malformed", with its status', async () => {
    const fixture = sseVu();
    const failure = failureOf(await stream(fixture, `${server.url}/json`));
    assert.deepEqual([failure.kind, failure.status], ['malformed', 200]);
    assert.match(failure.error, /^malformed error: POST http:\/\/127\.0\.0\.1:\d+\/json answered Content-Type "application\/json", not text\/event-stream$/);
    assert.equal(fixture.sink.of('http_reqs').length, 1);
  });

  it('nobody listening: kind "connect", status 0, and no request counted', async () => {
    const fixture = sseVu();
    const url = `http://127.0.0.1:${await unusedPort()}/agent`;
    const failure = failureOf(await stream(fixture, url));
    assert.deepEqual([failure.kind, failure.status], ['connect', 0]);
    assert.match(failure.error, new RegExp(`^connect error: POST ${url}: cannot connect: .*connection refused`));
    assert.equal(fixture.sink.of('http_reqs').length, 0);
  });

  it('the connection cut inside the body: kind "network", after the events that came whole', async () => {
    const delivered = await stream(sseVu(), `${server.url}/cut`);
    const failure = failureOf(delivered);
    assert.deepEqual([failure.kind, failure.status, failure.events], ['network', 200, 1]);
    assert.match(failure.error, /^network error: POST \S+\/cut: the connection broke after 1 events: unexpected EOF$/);
  });

  it('a clean end inside an event: kind "malformed"', async () => {
    const failure = failureOf(await stream(sseVu(), `${server.url}/half`));
    assert.deepEqual([failure.kind, failure.status, failure.events], ['malformed', 200, 1]);
    assert.match(failure.error, /malformed stream after 1 events: the stream ended inside an event/);
  });

  it('the timeout runs out: kind "timeout", status 0, and the server sees the client leave', async () => {
    for (const [path, events] of [['/hang', 1], ['/silent', 0]] as const) {
      const failure = failureOf(await stream(sseVu(), `${server.url}${path}`, { timeout: '300ms' }));
      assert.deepEqual([failure.kind, failure.status, failure.events], ['timeout', 0, events]);
      assert.match(failure.error, new RegExp(`^timeout error: POST \\S+${path}: the stream was still open after 300ms \\(${events} events received\\)$`));
      await within(lastRequest(server, path).left);
    }
  });

  it('a stream that ends cleanly has no error event', async () => {
    const delivered = await stream(sseVu(), `${server.url}/stream?events=2`);
    assert.deepEqual(delivered.map((event) => event.type), ['open', 'event', 'event', 'close']);
    assert.equal(delivered.at(-1)!.reason, 'end');
  });
});
