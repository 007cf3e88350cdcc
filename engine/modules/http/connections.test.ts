import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import { CLOSE_HTTP_CONNECTIONS } from './http-module.ts';
import { httpUnderTest, startServer, type TestServer } from './test-support.ts';

let server: TestServer;
let held: ServerResponse[] = [];
let arrivals: Array<() => void> = [];

before(async () => {
  server = await startServer((request, response) => {
    if (request.url === '/held') {
      held.push(response);
      for (const arrived of arrivals.splice(0)) arrived();
      return;
    }
    response.end('ok');
  });
});

beforeEach(() => {
  held = [];
  arrivals = [];
});

after(() => server.close());

/** Resolves when the server has received a /held request. */
function nextArrival(): Promise<void> {
  return new Promise((resolve) => arrivals.push(resolve));
}

test('a VU keeps its connection alive: the second request reuses it and spends no time connecting', async () => {
  const before = server.connections;
  const http = httpUnderTest();
  await http.get(`${server.url}/a`);
  await http.get(`${server.url}/b`);
  assert.equal(server.connections - before, 1);
  const connecting = http.sink.of('http_req_connecting').map((sample) => sample.value);
  assert.ok(connecting[0]! > 0, `first connecting ${connecting[0]}`);
  assert.equal(connecting[1], 0);

  const other = httpUnderTest({ id: 2 });
  await other.get(`${server.url}/c`);
  assert.equal(server.connections - before, 2, 'each VU has its own connections');
});

test('options.noConnectionReuse opens a connection for every request', async () => {
  const before = server.connections;
  const http = httpUnderTest({ options: { noConnectionReuse: true } });
  await http.get(`${server.url}/a`);
  await http.get(`${server.url}/b`);
  assert.equal(server.connections - before, 2);
  assert.ok(http.sink.of('http_req_connecting').every((sample) => sample.value > 0));
});

test('options.noVUConnectionReuse reuses connections within an iteration, not across iterations', async () => {
  const before = server.connections;
  const http = httpUnderTest({ options: { noVUConnectionReuse: true } });
  http.vu.execution.iterationInInstance = 0;
  await http.get(`${server.url}/a`);
  await http.get(`${server.url}/b`);
  assert.equal(server.connections - before, 1);
  http.vu.execution.iterationInInstance = 1;
  await http.get(`${server.url}/c`);
  assert.equal(server.connections - before, 2);
});

test('an asyncRequest nobody awaits holds the iteration open until its answer', async () => {
  const http = httpUnderTest();
  let answered = false;
  const arrived = nextArrival();
  const ended = http.vu.runIteration(() => {
    void http.call<Promise<unknown>>('asyncRequest', 'GET', `${server.url}/held`).then(() => (answered = true));
  });
  let iterationOver = false;
  void ended.then(() => (iterationOver = true));
  await arrived;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(iterationOver, false);
  held[0]!.end('late');
  assert.deepEqual(await ended, { kind: 'done' });
  assert.equal(answered, true);
  assert.equal(http.sink.of('http_reqs').length, 1);
});

test('interrupting the VU aborts its request in flight; nothing is reported and the awaiting code never resumes', async () => {
  const http = httpUnderTest();
  let resumed = false;
  const arrived = nextArrival();
  const ended = http.vu.runIteration(async () => {
    await http.get(`${server.url}/held`);
    resumed = true;
  });
  await arrived;
  const closed = once(held[0]!.socket!, 'close');
  http.vu.interrupt();
  assert.deepEqual(await ended, { kind: 'interrupted' });
  await closed;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(resumed, false);
  assert.equal(http.sink.of('http_reqs').length, 0);
  assert.equal(http.logs.length, 0);
});

test('a kept-alive connection the server dropped is retried once on a new one for a GET, not for a POST', async () => {
  const requestsOnSocket = new WeakMap<object, number>();
  const dropping = await startServer((request, response) => {
    const count = (requestsOnSocket.get(request.socket) ?? 0) + 1;
    requestsOnSocket.set(request.socket, count);
    // A second request on a connection finds it closed, as when the server's idle timeout wins the race.
    if (count > 1) request.socket.destroy();
    else response.end('fresh');
  });
  try {
    const http = httpUnderTest();
    await http.get(`${dropping.url}/a`);
    const retried = await http.get(`${dropping.url}/b`);
    assert.equal(retried.status, 200);
    assert.equal(dropping.connections, 2);
    assert.equal(http.sink.of('http_reqs').length, 2);

    const post = await http.post(`${dropping.url}/c`, 'once');
    assert.equal(post.status, 0);
    assert.equal(post.error, 'EOF');
  } finally {
    await dropping.close();
  }
});

test('the worker can close a VU\'s kept-alive connections through the instance', async () => {
  const before = server.connections;
  const http = httpUnderTest();
  await http.get(`${server.url}/a`);
  const [socket] = [...server.sockets].slice(-1);
  const closed = once(socket!, 'close');
  ((http.exports as Record<symbol, unknown>)[CLOSE_HTTP_CONNECTIONS] as () => void)();
  await closed;
  await http.get(`${server.url}/b`);
  assert.equal(server.connections - before, 2);
});

test('interrupting the VU aborts every request of a large batch in flight, without listener-leak warnings', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    const http = httpUnderTest({ options: { batch: 0, batchPerHost: 0 } });
    const count = 15;
    const allArrived = new Promise<void>((resolve) => {
      const check = (): void => (held.length >= count ? resolve() : void arrivals.push(check));
      arrivals.push(check);
    });
    const ended = http.vu.runIteration(() => http.batch(Array.from({ length: count }, () => `${server.url}/held`)));
    await allArrived;
    const closed = held.map((response) => once(response.socket!, 'close'));
    http.vu.interrupt();
    assert.deepEqual(await ended, { kind: 'interrupted' });
    await Promise.all(closed);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(http.sink.of('http_reqs').length, 0);
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});
