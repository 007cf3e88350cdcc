import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { socketTarget } from './socket-target.ts';

describe('k6/websockets socket target', () => {
  it('connects to the scheme’s default port, or the one given', () => {
    assert.deepEqual([socketTarget('ws://example.test/').port, socketTarget('wss://example.test/').port, socketTarget('ws://example.test:8080/').port], [80, 443, 8080]);
    assert.equal(socketTarget('wss://example.test/').secure, true);
    assert.equal(socketTarget('ws://example.test/').secure, false);
  });

  it('gives TLS the host name for SNI, and none for an IP address; IPv6 without its brackets', () => {
    assert.equal(socketTarget('wss://example.test/').servername, 'example.test');
    assert.equal(socketTarget('wss://127.0.0.1/').servername, '');
    const ipv6 = socketTarget('wss://[::1]:9443/');
    assert.deepEqual([ipv6.host, ipv6.servername, ipv6.hostHeader], ['::1', '', '[::1]:9443']);
  });

  it('asks for the path and query, "/" when the URL has no path', () => {
    assert.equal(socketTarget('ws://example.test').requestLine, 'GET / HTTP/1.1\r\n');
    assert.equal(socketTarget('ws://example.test/a/b?c=d&e').requestLine, 'GET /a/b?c=d&e HTTP/1.1\r\n');
  });

  it('is worked out once per URL', () => {
    assert.equal(socketTarget('ws://example.test/same'), socketTarget('ws://example.test/same'));
    assert.ok(Object.isFrozen(socketTarget('ws://example.test/same')));
  });
});
