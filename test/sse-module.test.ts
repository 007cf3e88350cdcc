import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSseServer, type SeenRequest, type SseServer } from './support/sse-server.ts';
import { fixturePath, runK6, type K6Result } from './support/k6.ts';

// What test/fixtures/k6/sse-stream.ts logs for each stream.
interface StreamResult {
  url: string;
  sentAt: number;
  open?: { status: number; headers: Record<string, string>; timestamp: number };
  events: { name: string; data: string; id: string; timestamp: number }[];
  error?: { kind: string; status: number; error: string; timestamp: number };
  close?: { reason: string; events: number; timestamp: number };
}

async function streamOnEngine(env: Record<string, string>): Promise<{ result: K6Result; streams: StreamResult[] }> {
  const result = await runK6(fixturePath('sse-stream'), { env, args: ['--log-format=raw'], timeoutMs: 60_000 });
  const streams = result.stderr
    .split('\n')
    .filter((line) => line.startsWith('SSE_RESULT '))
    .map((line) => JSON.parse(line.slice('SSE_RESULT '.length)) as StreamResult);
  return { result, streams };
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const lastRequest = (server: SseServer, path: string): SeenRequest | undefined =>
  server.requests.filter((r) => r.path === path).at(-1);

/** Waits, bounded, until the server has noticed that the client went away. */
async function disconnected(seen: SeenRequest | undefined): Promise<boolean> {
  for (let i = 0; i < 50 && seen && !seen.disconnected; i++) await new Promise((done) => setTimeout(done, 100));
  return seen?.disconnected ?? false;
}

// Event timestamps come from the engine's VU and the server's times from this process, on the same clock;
// Date.now() drops the fraction of a millisecond, hence one millisecond of slack.
const slackMs = 1;

describe("agent-sla/sse: streaming HTTP on agent-sla's engine against a real SSE server", () => {
  let server: SseServer;
  before(async () => {
    server = await startSseServer();
  });
  after(() => server.close());

  it('delivers each event with its own receive time, before the server sends the next', async () => {
    // ack=1: the server writes event i+1 only after the script has acknowledged event i,
    // so a client that buffered the body could not finish at all.
    const lf = `${server.url}/stream?events=5&ack=1`;
    const crlf = `${server.url}/stream?events=3&ack=1&crlf=1`;
    const first = server.requests.length;
    const { result, streams } = await streamOnEngine({ SSE_URLS: `${lf},${crlf}`, SSE_ACK_URL: `${server.url}/ack` });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(streams.length, 2, result.stderr);

    for (const [index, stream] of streams.entries()) {
      const seen = server.requests.slice(first).filter((r) => r.path === '/stream')[index];
      assert.ok(seen, 'the server saw no request');
      assert.equal(seen.method, 'POST');
      assert.equal(seen.headers['content-type'], 'application/json');
      assert.equal(seen.headers['x-run'], 'fixture');
      assert.equal(seen.headers.accept, 'text/event-stream');
      assert.equal((JSON.parse(seen.body) as { runId: string }).runId, 'r1');

      assert.equal(stream.open?.status, 200);
      assert.equal(stream.open?.headers['Content-Type'], 'text/event-stream');
      const count = index === 0 ? 5 : 3;
      assert.deepEqual(
        stream.events.map((e) => [e.name, (JSON.parse(e.data) as { delta: string }).delta]),
        Array.from({ length: count }, (_, i) => ['message', `${i}:`]),
      );
      stream.events.forEach((event, i) => {
        assert.ok(event.timestamp >= seen.writtenAt[i]! - slackMs, `event ${i} received before it was written`);
        assert.ok(event.timestamp <= seen.ackedAt[i]! + slackMs, `event ${i} received after the script acknowledged it`);
        assert.ok(i === 0 || event.timestamp >= stream.events[i - 1]!.timestamp, 'receive times go backwards');
      });
      assert.ok(stream.open!.timestamp >= stream.sentAt - slackMs && stream.open!.timestamp <= stream.events[0]!.timestamp);
      assert.deepEqual({ reason: stream.close?.reason, events: stream.close?.events }, { reason: 'end', events: count });
      assert.equal(stream.error, undefined);
    }
    // Each stream is one request in k6's http_reqs, under the name tag the script gave it.
    assert.equal(result.summary?.metrics['http_reqs{name:sse-fixture}']?.count, 2);
    assert.ok((result.summary?.metrics.data_received?.count as number) > 0);
  });

  it('names the cause of each failure, then closes', async () => {
    const refused = `http://127.0.0.1:${await unusedPort()}/agent`;
    const urls = [`${server.url}/status/503`, `${server.url}/json`, refused, `${server.url}/hang`];
    const { result, streams } = await streamOnEngine({ SSE_URLS: urls.join(','), SSE_TIMEOUT: '1s' });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      streams.map((s) => [s.error?.kind, s.error?.status, s.close?.reason, s.events.length]),
      [
        ['status', 503, 'error', 0],
        ['malformed', 200, 'error', 0],
        ['connect', 0, 'error', 0],
        ['timeout', 0, 'error', 1],
      ],
    );
    const messages = streams.map((s) => s.error?.error ?? '');
    assert.match(messages[0]!, /^status error: POST .*\/status\/503 answered 503 Service Unavailable: "overloaded"$/);
    assert.match(messages[1]!, /Content-Type "application\/json", not text\/event-stream/);
    assert.match(messages[2]!, /^connect error: POST .*: cannot connect: .*connection refused/);
    assert.match(messages[3]!, /the stream was still open after 1s \(1 events received\)/);
    assert.equal(streams[0]!.open, undefined, 'a failed response is not an open stream');
    assert.ok(await disconnected(lastRequest(server, '/hang')), 'the timeout left the connection open');
    // The 503 and the JSON answer are responses, so they count in http_reqs; the refused connection is not.
    assert.equal(result.summary?.metrics['http_reqs{name:sse-fixture}']?.count, 3);
  });

  it('closes on demand: no event after close(), and the server sees the client leave', async () => {
    // No gap between events: many are already read and queued for the script when it closes.
    const events = 100_000;
    const { result, streams } = await streamOnEngine({
      SSE_URLS: `${server.url}/stream?events=${events}&bytes=100`,
      SSE_CLOSE_AFTER: '3',
    });
    assert.equal(result.code, 0, result.stderr);
    const [stream] = streams;
    assert.deepEqual({ reason: stream?.close?.reason, events: stream?.close?.events, seen: stream?.events.length }, { reason: 'closed', events: 3, seen: 3 });
    const seen = lastRequest(server, '/stream');
    assert.ok(await disconnected(seen), 'the server did not see the client leave');
    assert.ok(seen!.writtenAt.length < events, 'the server wrote the whole stream');
  });

  it('fails the iteration when a listener throws, and drops the stream', async () => {
    const { result, streams } = await streamOnEngine({
      SSE_URLS: `${server.url}/stream?events=1000&gapMs=5`,
      SSE_THROW_AFTER: '2',
    });
    assert.match(result.stderr, /listener gave up after 2 events/);
    assert.equal(streams.length, 0, 'the iteration went on after the listener threw');
    const seen = lastRequest(server, '/stream');
    assert.ok(await disconnected(seen), 'the server did not see the client leave');
  });
});
