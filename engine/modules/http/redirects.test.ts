import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { httpUnderTest, startServer, tagValues, type TestServer } from './test-support.ts';

let server: TestServer;

before(async () => {
  server = await startServer((request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const hops = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (hops) {
      const left = Number(hops[1]);
      if (left > 0) {
        response.writeHead(302, { Location: `/chain/${left - 1}`, 'Set-Cookie': `hop${left}=seen; Path=/` });
        response.end();
      } else {
        response.end(JSON.stringify({ cookie: request.headers.cookie ?? '' }));
      }
      return;
    }
    const status = /^\/status\/(\d+)$/.exec(url.pathname);
    if (status) {
      response.writeHead(Number(status[1]), { Location: '/echo' });
      response.end();
      return;
    }
    response.end(JSON.stringify({ method: request.method, body: body.toString(), referer: request.headers.referer ?? '' }));
  });
});

after(() => server.close());

test('redirects are followed; each hop is its own request with its own samples', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/chain/2`);
  assert.equal(res.status, 200);
  assert.equal(res.url, `${server.url}/chain/0`);
  assert.equal(res.request.url, `${server.url}/chain/2`);
  assert.deepEqual(tagValues(http, 'http_reqs', 'url'), [`${server.url}/chain/2`, `${server.url}/chain/1`, `${server.url}/chain/0`]);
  assert.deepEqual(tagValues(http, 'http_reqs', 'status'), ['302', '302', '200']);
  assert.deepEqual(tagValues(http, 'http_reqs', 'expected_response'), ['true', 'true', 'true']);
  assert.equal(http.sink.of('http_req_duration').length, 3);
  // Cookies set along the chain are in the jar for the next hops.
  assert.deepEqual(res.json(), { cookie: 'hop2=seen; hop1=seen' });
});

test('params.redirects and options.maxRedirects stop the chain and return the redirect', async () => {
  const limited = httpUnderTest();
  const stopped = await limited.get(`${server.url}/chain/3`, { redirects: 1 });
  assert.equal(stopped.status, 302);
  assert.equal(stopped.headers.Location, '/chain/1');
  assert.equal(limited.sink.of('http_reqs').length, 2);
  assert.equal(limited.logs.length, 0);

  const none = httpUnderTest({ options: { maxRedirects: 0 } });
  const first = await none.get(`${server.url}/chain/3`);
  assert.equal(first.status, 302);
  assert.equal(none.sink.of('http_reqs').length, 1);
  assert.ok(none.logs.some((log) => log.level === 'warn' && log.message.startsWith('Stopped after 1 redirects')));
  assert.equal((await none.get(`${server.url}/chain/3`, { redirects: 5 })).status, 200);
});

test('303 turns a POST into a GET without body; 307 and 308 keep the method and the body', async () => {
  const http = httpUnderTest();
  assert.deepEqual((await http.post(`${server.url}/status/303`, 'payload')).json(), { method: 'GET', body: '', referer: `${server.url}/status/303` });
  assert.deepEqual((await http.post(`${server.url}/status/302`, 'payload')).json(), { method: 'GET', body: '', referer: `${server.url}/status/302` });
  assert.deepEqual((await http.post(`${server.url}/status/307`, 'payload')).json(), { method: 'POST', body: 'payload', referer: `${server.url}/status/307` });
  assert.deepEqual((await http.request('PUT', `${server.url}/status/308`, 'payload')).json(), { method: 'PUT', body: 'payload', referer: `${server.url}/status/308` });
  assert.deepEqual(tagValues(http, 'http_reqs', 'method'), ['POST', 'GET', 'POST', 'GET', 'POST', 'POST', 'PUT', 'PUT']);
});

test('with a callback that expects only 200, the redirect hop is marked failed', async () => {
  const http = httpUnderTest();
  http.call('setResponseCallback', http.call('expectedStatuses', 200));
  await http.get(`${server.url}/chain/1`);
  assert.deepEqual(http.sink.of('http_req_failed').map((sample) => sample.value), [1, 0]);
});
