import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BLOCKING_VARIANT } from '../../script/vu-scope.ts';
import { httpUnderTest, startServer, type TestServer } from './test-support.ts';

let server: TestServer;

before(async () => {
  server = await startServer((request, response, body) => {
    if (request.url === '/json') {
      response.setHeader('x-custom-thing', 'a');
      response.setHeader('X-MULTI', ['one', 'two']);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ items: [{ id: 1 }, { id: 2 }], nested: { 'a.b': true }, count: 2 }));
      return;
    }
    if (request.url === '/not-json') {
      response.end('{"items": [1, 2,,]}');
      return;
    }
    if (request.url === '/bytes') {
      response.end(Buffer.from([0, 1, 2, 253, 254, 255]));
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ method: request.method, headers: request.headers, body: body.toString('base64') }));
  });
});

after(() => server.close());

test('a GET gives the status, canonical headers, body and timings of the answer', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/json`);
  assert.equal(res.status, 200);
  assert.equal(res.status_text, '200 OK');
  assert.equal(res.proto, 'HTTP/1.1');
  assert.equal(res.url, `${server.url}/json`);
  assert.equal(res.remote_ip, '127.0.0.1');
  assert.equal(res.remote_port, server.port);
  assert.equal(res.headers['X-Custom-Thing'], 'a');
  assert.equal(res.headers['X-Multi'], 'one, two');
  assert.equal(res.headers['x-custom-thing'], undefined);
  assert.equal(res.error, '');
  assert.equal(res.error_code, 0);
  assert.equal(typeof res.body, 'string');
  const { timings } = res;
  for (const value of Object.values(timings)) assert.ok(value >= 0);
  assert.ok(Math.abs(timings.duration - (timings.sending + timings.waiting + timings.receiving)) < 1e-9);
  assert.equal(res.request.method, 'GET');
  assert.deepEqual(res.request.headers['User-Agent'], [http.vu.options.userAgent]);
});

test('json() parses the body, caches it, and a selector picks paths, indexes and lengths', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/json`);
  assert.deepEqual(res.json(), { items: [{ id: 1 }, { id: 2 }], nested: { 'a.b': true }, count: 2 });
  assert.equal(res.json(), res.json());
  assert.equal(res.json('items.1.id'), 2);
  assert.equal(res.json('items.#'), 2);
  assert.deepEqual(res.json('items.#.id'), [1, 2]);
  assert.equal(res.json('nested.a\\.b'), true);
  assert.equal(res.json('c*nt'), 2);
  assert.equal(res.json('items.5.id'), undefined);
  assert.equal(res.json('missing'), undefined);
});

test('json() throws k6\'s error for a body that is not JSON; with a selector it gives undefined', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/not-json`);
  assert.throws(() => res.json(), /^Error: cannot parse json due to an error at line 1, character \d+ , error: /);
  assert.equal(res.json('items'), undefined);
});

test('html(), clickLink() and submitForm() say k6/html is not supported', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/json`);
  assert.throws(() => res.html(), /Response\.html\(\) needs k6\/html/);
  assert.throws(() => res.clickLink(), /Response\.clickLink\(\) needs k6\/html/);
  assert.throws(() => res.submitForm(), /Response\.submitForm\(\) needs k6\/html/);
});

test('bodies: a string as it is, an object as a form, an ArrayBuffer or a typed array as bytes', async () => {
  const http = httpUnderTest();
  const echo = async (body: unknown) => (await http.post(`${server.url}/echo`, body)).json() as { headers: Record<string, string>; body: string; method: string };

  const text = await echo('plain text ✓');
  assert.equal(Buffer.from(text.body, 'base64').toString(), 'plain text ✓');
  assert.equal(text.headers['content-type'], undefined);
  assert.equal(text.method, 'POST');

  const form = await echo({ b: 'x y', a: ['1', '2'], c: 'é&=' });
  assert.equal(Buffer.from(form.body, 'base64').toString(), 'a=1&a=2&b=x+y&c=%C3%A9%26%3D');
  assert.equal(form.headers['content-type'], 'application/x-www-form-urlencoded');

  const bytes = new Uint8Array([0, 255, 10, 13]);
  assert.deepEqual([...Buffer.from((await echo(bytes.buffer)).body, 'base64')], [0, 255, 10, 13]);
  assert.deepEqual([...Buffer.from((await echo(bytes.subarray(1, 3))).body, 'base64')], [255, 10]);

  const empty = await echo(undefined);
  assert.equal(empty.headers['content-length'], '0');

  const refused = await http.post(`${server.url}/echo`, 42);
  assert.equal(refused.status, 0);
  assert.match(refused.error, /unknown request body type number/);
});

test('responseType: binary gives an ArrayBuffer, none gives null, and discardResponseBodies makes none the default', async () => {
  const http = httpUnderTest();
  const binary = await http.get(`${server.url}/bytes`, { responseType: 'binary' });
  assert.ok(binary.body instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(binary.body)], [0, 1, 2, 253, 254, 255]);
  const text = await http.get(`${server.url}/bytes`);
  assert.equal(typeof text.body, 'string');
  assert.equal((await http.get(`${server.url}/bytes`, { responseType: 'none' })).body, null);

  const discarding = httpUnderTest({ options: { discardResponseBodies: true } });
  assert.equal((await discarding.get(`${server.url}/bytes`)).body, null);
  assert.ok((await discarding.get(`${server.url}/bytes`, { responseType: 'text' })).body);

  const bad = await http.get(`${server.url}/bytes`, { responseType: 'json' });
  assert.match(bad.error, /json does not belong to ResponseType values/);
});

test('in the init stage requests, batches and the cookie jar are refused with k6\'s errors', async () => {
  const http = httpUnderTest();
  http.vu.setStage('init');
  await assert.rejects(http.get(`${server.url}/json`), { message: 'Making http requests in the init context is not supported' });
  await assert.rejects(http.batch([`${server.url}/json`]), { message: 'Using batch in the init context is not supported' });
  await assert.rejects(http.call<Promise<unknown>>('asyncRequest', 'GET', `${server.url}/json`), { message: 'Making http requests in the init context is not supported' });
  assert.throws(() => http.call('get', `${server.url}/json`), { message: 'Making http requests in the init context is not supported' });
  assert.throws(() => http.call('cookieJar'), { message: 'Making cookie jars in the init context is not supported' });
  http.vu.setStage('setup');
  assert.equal((await http.get(`${server.url}/json`)).status, 200);
  assert.equal(http.sink.of('http_reqs').length, 1);
});

test('a blocking function called plainly throws one line instead of returning a promise; its variant answers', async () => {
  const http = httpUnderTest();
  for (const name of ['get', 'head', 'post', 'put', 'patch', 'del', 'options', 'request', 'batch']) {
    assert.throws(
      () => http.call(name, `${server.url}/json`),
      (error: Error) => error.message === `http.${name}() blocks the VU, and agent-sla could not make this call wait; use http.asyncRequest or call it from code the engine can rewrite`,
    );
    assert.equal(typeof (http.exports[name] as { [BLOCKING_VARIANT]?: unknown })[BLOCKING_VARIANT], 'function');
  }
  assert.equal(http.sink.of('http_reqs').length, 0);
  const res = await http.call<Promise<{ status: number }>>('asyncRequest', 'GET', `${server.url}/json`);
  assert.equal(res.status, 200);
});

test('the default export carries the same members as the named exports', () => {
  const http = httpUnderTest();
  const byDefault = http.exports.default as Record<string, unknown>;
  for (const name of ['request', 'get', 'post', 'put', 'del', 'patch', 'head', 'options', 'batch', 'asyncRequest', 'expectedStatuses', 'setResponseCallback', 'url', 'file', 'CookieJar', 'cookieJar', 'TLS_1_3']) {
    assert.ok(name in http.exports, name);
    assert.equal(byDefault[name], http.exports[name], name);
  }
});
