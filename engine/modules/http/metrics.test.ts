import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ExpectedStatuses } from './expected-statuses.ts';
import type { HttpUrl } from './http-url.ts';
import { httpUnderTest, startServer, tagValues, type TestServer } from './test-support.ts';

const HTTP_METRICS = ['http_reqs', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'http_req_failed'];

let server: TestServer;
let lastAuthorization: string | undefined;

before(async () => {
  server = await startServer((request, response) => {
    lastAuthorization = request.headers.authorization;
    const status = Number(/status\/(\d+)/.exec(request.url ?? '')?.[1] ?? 200);
    response.statusCode = status;
    response.end('ok');
  });
});

after(() => server.close());

test('one request emits each HTTP metric once, with the VU\'s tags and the system tags', async () => {
  const http = httpUnderTest();
  http.vu.setGroupPath('::checkout');
  const url = `${server.url}/status/200`;
  await http.get(url, { tags: { flow: 'buy' } });
  for (const name of HTTP_METRICS) {
    const samples = http.sink.of(name);
    assert.equal(samples.length, 1, name);
    assert.deepEqual(samples[0]!.tags, {
      flow: 'buy',
      group: '::checkout',
      name: url,
      url,
      method: 'GET',
      status: '200',
      proto: 'HTTP/1.1',
      expected_response: 'true',
    });
  }
  assert.equal(http.sink.of('http_reqs')[0]!.value, 1);
  assert.equal(http.sink.of('http_req_failed')[0]!.value, 0);
  const sent = http.sink.of('data_sent');
  const received = http.sink.of('data_received');
  assert.equal(sent.length, 1);
  assert.equal(received.length, 1);
  assert.ok(sent[0]!.value > 40, `data_sent ${sent[0]!.value}`);
  assert.ok(received[0]!.value > 40, `data_received ${received[0]!.value}`);
  assert.deepEqual(sent[0]!.tags, { group: '::checkout' });
  const metric = http.sink.of('http_req_duration')[0]!.metric;
  assert.equal(metric.type, 'trend');
  assert.equal(metric.contains, 'time');
  assert.equal(http.sink.of('http_req_failed')[0]!.metric.type, 'rate');
  assert.equal(sent[0]!.metric.contains, 'data');
});

test('a name tag groups URLs: name and url both take it; http.url names by template', async () => {
  const http = httpUnderTest();
  await http.get(`${server.url}/status/200?id=1`, { tags: { name: 'Item' } });
  await http.get(`${server.url}/status/200?id=2`, { tags: { name: 'Item' } });
  const template = http.call<HttpUrl>('url', ['', '/status/200?id=', ''] as unknown as TemplateStringsArray, server.url, 3);
  await http.get(template);
  assert.deepEqual(tagValues(http, 'http_reqs', 'name'), ['Item', 'Item', '${}/status/200?id=${}']);
  assert.deepEqual(tagValues(http, 'http_reqs', 'url'), ['Item', 'Item', '${}/status/200?id=${}']);

  const plain = http.call<HttpUrl>('url', [`${server.url}/status/200`] as unknown as TemplateStringsArray);
  await http.get(plain);
  assert.equal(tagValues(http, 'http_reqs', 'name')[3], `${server.url}/status/200`);
});

test('credentials in the URL are sent as basic auth and masked in the tags', async () => {
  const http = httpUnderTest();
  const url = `http://user:s3cret@127.0.0.1:${server.port}/status/200`;
  const res = await http.get(url);
  assert.equal(res.status, 200);
  assert.equal(lastAuthorization, `Basic ${Buffer.from('user:s3cret').toString('base64')}`);
  assert.deepEqual(tagValues(http, 'http_reqs', 'url'), [`http://****:****@127.0.0.1:${server.port}/status/200`]);
  assert.deepEqual(tagValues(http, 'http_reqs', 'name'), [`http://****:****@127.0.0.1:${server.port}/status/200`]);
  await http.get(`${server.url}/status/200`);
  assert.equal(lastAuthorization, undefined);
});

test('expected_response and http_req_failed follow the status: 200 expected, 500 failed with error_code 1500', async () => {
  const http = httpUnderTest();
  const ok = await http.get(`${server.url}/status/200`);
  const failed = await http.get(`${server.url}/status/500`);
  assert.equal(ok.error_code, 0);
  assert.equal(failed.status, 500);
  assert.equal(failed.error_code, 1500);
  assert.equal(failed.error, '');
  assert.deepEqual(tagValues(http, 'http_reqs', 'expected_response'), ['true', 'false']);
  assert.deepEqual(http.sink.of('http_req_failed').map((sample) => sample.value), [0, 1]);
  assert.deepEqual(tagValues(http, 'http_reqs', 'error_code'), [undefined, '1500']);
  assert.deepEqual(tagValues(http, 'http_reqs', 'error'), [undefined, undefined]);
  assert.equal((await http.get(`${server.url}/status/404`)).error_code, 1404);
});

test('setResponseCallback(expectedStatuses(500)) turns the verdicts around; null removes them', async () => {
  const http = httpUnderTest();
  const expected = http.call<ExpectedStatuses>('expectedStatuses', 500, { min: 600, max: 610 });
  http.call('setResponseCallback', expected);
  await http.get(`${server.url}/status/200`);
  await http.get(`${server.url}/status/500`);
  await http.get(`${server.url}/status/605`);
  assert.deepEqual(tagValues(http, 'http_reqs', 'expected_response'), ['false', 'true', 'true']);
  assert.deepEqual(http.sink.of('http_req_failed').map((sample) => sample.value), [1, 0, 0]);

  http.call('setResponseCallback', null);
  await http.get(`${server.url}/status/500`);
  assert.equal(http.sink.of('http_req_failed').length, 3);
  assert.equal(http.sink.of('http_reqs')[3]!.tags.expected_response, undefined);

  assert.throws(() => http.call('setResponseCallback', () => true), /unsupported argument, expected http\.expectedStatuses/);
  assert.throws(() => http.call('expectedStatuses', 'x'), /argument number 1 to expectedStatuses was neither an integer nor an object/);
  assert.throws(() => http.call('expectedStatuses', { min: 1.5, max: 2 }), /both min and max need to be integers for argument number 1/);
});

test('params.responseCallback decides for its request only', async () => {
  const http = httpUnderTest();
  const only500 = http.call<ExpectedStatuses>('expectedStatuses', 500);
  await http.get(`${server.url}/status/500`, { responseCallback: only500 });
  await http.get(`${server.url}/status/500`);
  await http.get(`${server.url}/status/200`, { responseCallback: null });
  assert.deepEqual(tagValues(http, 'http_reqs', 'expected_response'), ['true', 'false', undefined]);
  assert.deepEqual(http.sink.of('http_req_failed').map((sample) => sample.value), [0, 1]);
  const refused = await http.get(`${server.url}/status/200`, { responseCallback: (status: number) => status === 200 });
  assert.equal(refused.error, 'unsupported responseCallback');
});

test('options.systemTags limits the system tags; params.tags are kept', async () => {
  const http = httpUnderTest({ options: { systemTags: ['status', 'method'] } });
  await http.get(`${server.url}/status/201`, { tags: { mine: 'yes' } });
  assert.deepEqual(http.sink.of('http_reqs')[0]!.tags, { mine: 'yes', status: '201', method: 'GET' });
});
