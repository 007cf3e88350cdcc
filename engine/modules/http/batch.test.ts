import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import type { Response } from './response.ts';
import { httpUnderTest, startServer, type TestServer } from './test-support.ts';

let server: TestServer;
let inFlight = 0;
let maxInFlight = 0;
let waiting: ServerResponse[] = [];
/**
 * Held requests are answered once this many are in flight, after `grace` ms in which a request beyond the limit
 * would show up; if that many never come, after 3 s, so that a broken limit fails the test instead of hanging it.
 */
let holdUntil = 1;
let grace = 0;

let safety: NodeJS.Timeout | undefined;

function releaseAll(): void {
  clearTimeout(safety);
  safety = undefined;
  for (const response of waiting.splice(0)) response.end();
}

before(async () => {
  server = await startServer((request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/held') {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      response.on('finish', () => inFlight--);
      waiting.push(response);
      if (waiting.length === holdUntil) setTimeout(releaseAll, grace);
      else safety ??= setTimeout(releaseAll, 3000);
      return;
    }
    // Later entries answer sooner, so that order can only come from the batch putting them back in place.
    const delay = Number(url.searchParams.get('delay') ?? 0);
    setTimeout(() => response.end(JSON.stringify({ path: url.pathname, method: request.method, body: body.toString() })), delay);
  });
});

beforeEach(() => {
  inFlight = 0;
  maxInFlight = 0;
  waiting = [];
  holdUntil = 1;
  grace = 0;
});

after(() => server.close());

test('an array batch answers in the order of its requests, whatever order the answers come in', async () => {
  const http = httpUnderTest();
  const responses = (await http.batch([
    `${server.url}/a?delay=120`,
    ['POST', `${server.url}/b?delay=60`, 'body-b', { tags: { entry: 'b' } }],
    { method: 'put', url: `${server.url}/c?delay=0`, body: 'body-c' },
    { method: 'GET', url: `${server.url}/d`, body: 'dropped' },
  ])) as Response[];
  assert.ok(Array.isArray(responses));
  assert.deepEqual(
    responses.map((res) => res.json()),
    [
      { path: '/a', method: 'GET', body: '' },
      { path: '/b', method: 'POST', body: 'body-b' },
      { path: '/c', method: 'PUT', body: 'body-c' },
      { path: '/d', method: 'GET', body: '' },
    ],
  );
  assert.equal(http.sink.of('http_reqs').length, 4);
  assert.ok(http.sink.of('http_reqs').some((sample) => sample.tags.entry === 'b'));
});

test('an object batch answers under the same names', async () => {
  const http = httpUnderTest();
  const responses = (await http.batch({ slow: `${server.url}/slow?delay=80`, fast: { method: 'GET', url: `${server.url}/fast` } })) as Record<string, Response>;
  assert.deepEqual(Object.keys(responses), ['slow', 'fast']);
  assert.equal((responses.slow!.json() as { path: string }).path, '/slow');
  assert.equal((responses.fast!.json() as { path: string }).path, '/fast');
});

test('options.batchPerHost bounds how many requests of a batch run at once', async () => {
  const limited = httpUnderTest({ options: { batch: 20, batchPerHost: 2 } });
  holdUntil = 2;
  grace = 100;
  const responses = (await limited.batch(Array.from({ length: 6 }, () => `${server.url}/held`))) as Response[];
  assert.deepEqual(responses.map((res) => res.status), [200, 200, 200, 200, 200, 200]);
  assert.equal(maxInFlight, 2);
});

test('options.batch bounds the whole batch; without limits every request runs at once', async () => {
  const limited = httpUnderTest({ options: { batch: 3, batchPerHost: 0 } });
  holdUntil = 3;
  grace = 100;
  await limited.batch(Array.from({ length: 6 }, () => `${server.url}/held`));
  assert.equal(maxInFlight, 3);

  maxInFlight = 0;
  holdUntil = 6;
  grace = 0;
  const unlimited = httpUnderTest({ options: { batch: 0, batchPerHost: 0 } });
  await unlimited.batch(Array.from({ length: 6 }, () => `${server.url}/held`));
  assert.equal(maxInFlight, 6);
});

test('a malformed batch entry: with throw it throws, otherwise nothing is sent and the entry carries the error', async () => {
  const quiet = httpUnderTest();
  const responses = (await quiet.batch([`${server.url}/a`, ['GET']])) as Response[];
  assert.match(responses[1]!.error, /invalid batch request/);
  assert.equal(quiet.sink.of('http_reqs').length, 0);
  assert.ok(quiet.logs.some((log) => log.message.startsWith('A batch request failed')));
  await assert.rejects(httpUnderTest({ options: { throw: true } }).batch([{ method: 'GET' }]), /batch request 0 doesn't have a url key/);
  await assert.rejects(quiet.batch('nope'), /invalid http\.batch\(\) argument type string/);
});
