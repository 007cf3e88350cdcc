import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { after, before, test } from 'node:test';
import { HostsOverride } from './hosts-override.ts';
import { httpUnderTest, startServer, tagValues, type TestServer } from './test-support.ts';

let secure: TestServer;
let plain: TestServer;
let seen: { host: string | undefined; servername: string | false | null | undefined } = { host: undefined, servername: undefined };

before(async () => {
  const handler = (tls: boolean) => (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => {
    seen = { host: request.headers.host, servername: tls ? (request.socket as TLSSocket).servername : undefined };
    response.end('ok');
  };
  secure = await startServer(handler(true), true);
  plain = await startServer(handler(false));
});

after(async () => {
  await secure.close();
  await plain.close();
});

test('a certificate nobody vouches for is error 1310, unless insecureSkipTLSVerify', async () => {
  const strict = httpUnderTest();
  const refused = await strict.get(`${secure.url}/`);
  assert.equal(refused.status, 0);
  assert.equal(refused.error_code, 1310);
  assert.equal(refused.error, 'x509: unknown authority');
  assert.deepEqual(tagValues(strict, 'http_reqs', 'error_code'), ['1310']);
  assert.deepEqual(tagValues(strict, 'http_reqs', 'tls_version'), [undefined]);

  const lenient = httpUnderTest({ options: { insecureSkipTLSVerify: true } });
  const first = await lenient.get(`${secure.url}/`);
  const second = await lenient.get(`${secure.url}/`);
  assert.equal(first.status, 200);
  assert.equal(first.tls_version, 'tls1.3');
  assert.match(first.tls_cipher_suite, /^TLS_/);
  assert.ok(first.timings.tls_handshaking > 0);
  assert.equal(second.timings.tls_handshaking, 0);
  assert.deepEqual(tagValues(lenient, 'http_reqs', 'tls_version'), ['tls1.3', 'tls1.3']);
  assert.deepEqual(lenient.sink.of('http_req_tls_handshaking').map((sample) => sample.value > 0), [true, false]);
});

test('options.hosts sends a name to another address; Host and the TLS server name stay the URL\'s', async () => {
  const http = httpUnderTest({ options: { insecureSkipTLSVerify: true, hosts: { 'example.test': '127.0.0.1', 'mapped.test:80': `127.0.0.1:${plain.port}` } } });
  const res = await http.get(`https://example.test:${secure.port}/`);
  assert.equal(res.status, 200);
  assert.deepEqual(seen, { host: `example.test:${secure.port}`, servername: 'example.test' });
  assert.equal(res.url, `https://example.test:${secure.port}/`);

  const mapped = await http.get('http://mapped.test/path');
  assert.equal(mapped.status, 200);
  assert.equal(seen.host, 'mapped.test');
});

test('host overrides match names, names with ports and wildcards, and nothing else', () => {
  const hosts = new HostsOverride({ 'a.test': '10.0.0.1', 'a.test:443': '10.0.0.2:8443', '*.wild.test': '10.0.0.3', 'v6.test': '[::1]:81' });
  assert.deepEqual(hosts.resolve('a.test', 80), { host: '10.0.0.1', port: 80 });
  assert.deepEqual(hosts.resolve('A.TEST', 443), { host: '10.0.0.2', port: 8443 });
  assert.deepEqual(hosts.resolve('x.wild.test', 80), { host: '10.0.0.3', port: 80 });
  assert.deepEqual(hosts.resolve('v6.test', 80), { host: '::1', port: 81 });
  assert.equal(hosts.resolve('wild.test', 80), undefined);
  assert.equal(hosts.resolve('b.test', 80), undefined);
  assert.equal(new HostsOverride({}).empty, true);
});
