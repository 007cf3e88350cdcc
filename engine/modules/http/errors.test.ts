import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { closedPort, httpUnderTest, startServer, tagValues, type TestServer } from './test-support.ts';

let server: TestServer;
const stalled: ServerResponse[] = [];

before(async () => {
  server = await startServer((request, response) => {
    if (request.url === '/never') stalled.push(response);
    else if (request.url === '/hang-up') response.socket?.destroy();
    else if (request.url === '/reset') response.socket?.resetAndDestroy();
    else response.end('fine');
  });
});

after(() => server.close());

test('a request that outlives params.timeout fails with error_code 1050, and the iteration goes on', async () => {
  const http = httpUnderTest();
  let timedOut: Awaited<ReturnType<typeof http.get>> | undefined;
  let next: Awaited<ReturnType<typeof http.get>> | undefined;
  const end = await http.vu.runIteration(async () => {
    timedOut = await http.get(`${server.url}/never`, { timeout: '150ms' });
    next = await http.get(`${server.url}/fine`, { timeout: 10_000 });
  });
  assert.deepEqual(end, { kind: 'done' });
  assert.equal(timedOut!.status, 0);
  assert.equal(timedOut!.error_code, 1050);
  assert.equal(timedOut!.error, 'request timeout');
  assert.equal(timedOut!.body, null);
  assert.equal(next!.status, 200);
  assert.deepEqual(tagValues(http, 'http_reqs', 'error_code'), ['1050', undefined]);
  assert.deepEqual(tagValues(http, 'http_reqs', 'status'), ['0', '200']);
  assert.deepEqual(tagValues(http, 'http_reqs', 'error'), ['request timeout', undefined]);
  assert.deepEqual(http.sink.of('http_req_failed').map((sample) => sample.value), [1, 0]);
  assert.ok(http.logs.some((log) => log.level === 'warn' && log.message.includes('Request Failed') && log.message.includes('request timeout')));
});

test('a refused connection gives status 0 and error_code 1212, and still emits its samples', async () => {
  const port = await closedPort();
  const http = httpUnderTest();
  const res = await http.get(`http://127.0.0.1:${port}/x`);
  assert.equal(res.status, 0);
  assert.equal(res.error_code, 1212);
  assert.equal(res.error, 'dial: connection refused');
  assert.equal(http.sink.of('http_reqs').length, 1);
  assert.deepEqual(http.sink.of('http_reqs')[0]!.tags, {
    group: '',
    name: `http://127.0.0.1:${port}/x`,
    url: `http://127.0.0.1:${port}/x`,
    method: 'GET',
    status: '0',
    error: 'dial: connection refused',
    error_code: '1212',
    expected_response: 'false',
  });
  assert.equal(http.sink.of('http_req_failed')[0]!.value, 1);
  assert.equal(http.sink.of('http_req_duration')[0]!.value, 0);
});

test('a server closing the connection without an answer is k6\'s EOF, code 1000', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/hang-up`);
  assert.equal(res.status, 0);
  assert.equal(res.error_code, 1000);
  assert.equal(res.error, 'EOF');
});

test('a connection reset by the server is error 1220', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/reset`);
  assert.equal(res.status, 0);
  assert.equal(res.error_code, 1220);
  assert.equal(res.error, 'read: connection reset by peer');
  assert.deepEqual(tagValues(http, 'http_reqs', 'error_code'), ['1220']);
});

test('options.throw and params.throw make a network error throw; without them it is returned', async () => {
  const port = await closedPort();
  const throwing = httpUnderTest({ options: { throw: true } });
  await assert.rejects(throwing.get(`http://127.0.0.1:${port}/x`), { message: `Get "http://127.0.0.1:${port}/x": dial: connection refused` });
  assert.equal(throwing.sink.of('http_reqs').length, 1);
  assert.equal((await throwing.get(`${server.url}/fine`)).status, 200);
  assert.equal((await throwing.get(`http://127.0.0.1:${port}/x`, { throw: false })).error_code, 1212);

  const quiet = httpUnderTest();
  assert.equal((await quiet.get(`http://127.0.0.1:${port}/x`)).error_code, 1212);
  await assert.rejects(quiet.get(`http://127.0.0.1:${port}/x`, { throw: true }), /dial: connection refused/);
});

test('a URL k6 cannot parse gives error_code 1020; an unsupported scheme 1000; nothing is sent', async () => {
  const http = httpUnderTest();
  const invalid = await http.get('http://[::1');
  assert.equal(invalid.error_code, 1020);
  assert.match(invalid.error, /^invalid URL: parse "http:\/\/\[::1": /);
  const ftp = await http.get('ftp://127.0.0.1/file');
  assert.equal(ftp.error_code, 1000);
  assert.equal(ftp.error, 'unsupported protocol scheme "ftp"');
  const relative = await http.get('/just/a/path');
  assert.equal(relative.error, 'unsupported protocol scheme ""');
  assert.equal(http.sink.of('http_reqs').length, 0);
  await assert.rejects(httpUnderTest({ options: { throw: true } }).get('http://[::1'), /invalid URL/);
});

test('an invalid timeout is refused like k6 refuses it', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/fine`, { timeout: 'soon' });
  assert.match(res.error, /^invalid timeout value/);
  assert.equal(http.sink.of('http_reqs').length, 0);
  assert.equal((await http.get(`${server.url}/fine`, { timeout: '2s' })).status, 200);
});
