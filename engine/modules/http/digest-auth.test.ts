import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { httpUnderTest, startServer, tagValues, type TestServer } from './test-support.ts';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
let server: TestServer;

before(async () => {
  server = await startServer((request, response) => {
    const header = request.headers.authorization ?? '';
    const fields = Object.fromEntries([...header.matchAll(/(\w+)="?([^",]*)"?/g)].map((match) => [match[1], match[2]]));
    const expected = md5(`${md5('alice:realm-1:wonderland')}:nonce-1:${fields.nc}:${fields.cnonce}:auth:${md5(`${request.method}:${request.url}`)}`);
    if (header.startsWith('Digest ') && fields.username === 'alice' && fields.response === expected && fields.opaque === 'op') {
      response.end('welcome');
      return;
    }
    response.writeHead(401, { 'WWW-Authenticate': 'Digest realm="realm-1", qop="auth", nonce="nonce-1", opaque="op"' });
    response.end();
  });
});

after(() => server.close());

test('auth digest answers the challenge: two requests, the 401 counted as expected', async () => {
  const http = httpUnderTest();
  const res = await http.get(`http://alice:wonderland@127.0.0.1:${server.port}/secret?x=1`, { auth: 'digest' });
  assert.equal(res.status, 200);
  assert.equal(res.body, 'welcome');
  assert.deepEqual(tagValues(http, 'http_reqs', 'status'), ['401', '200']);
  assert.deepEqual(tagValues(http, 'http_reqs', 'expected_response'), ['true', 'true']);
});

test('a wrong digest password ends on the second 401', async () => {
  const http = httpUnderTest();
  const res = await http.get(`http://alice:queen@127.0.0.1:${server.port}/secret`, { auth: 'digest' });
  assert.equal(res.status, 401);
  assert.deepEqual(tagValues(http, 'http_reqs', 'expected_response'), ['true', 'false']);
  const ntlm = await http.get(`http://alice:queen@127.0.0.1:${server.port}/secret`, { auth: 'ntlm' });
  assert.equal(ntlm.error, 'auth "ntlm" is not supported by agent-sla');
});
