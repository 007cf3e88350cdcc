import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { acceptFor, isUpgradeAnswer, upgradeAnswerError, upgradeRequest } from './client-handshake.ts';
import { socketTarget } from './socket-target.ts';

/** The request's lines, the request line first, without the blank line that ends it. */
function linesOf(text: string): string[] {
  assert.ok(text.endsWith('\r\n\r\n'), 'the head ends with a blank line');
  return text.slice(0, -4).split('\r\n');
}

function headerOf(text: string, name: string): string[] {
  return linesOf(text)
    .slice(1)
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => line.slice(line.indexOf(':') + 1).trim());
}

function answer(key: string, extra: IncomingHttpHeaders = {}): IncomingHttpHeaders {
  return { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': acceptFor(key), ...extra };
}

describe('k6/websockets client handshake', () => {
  it('derives Sec-WebSocket-Accept as RFC 6455 shows', () => {
    assert.equal(acceptFor('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('asks for the upgrade of the path and query, with Host, the key, version 13 and the script headers', () => {
    const { text, key } = upgradeRequest(socketTarget('ws://example.test:8080/chat/room?token=a%20b'), [], { 'User-Agent': 'agent-sla/1', 'X-Lorem': 'ipsum' });
    assert.equal(linesOf(text)[0], 'GET /chat/room?token=a%20b HTTP/1.1');
    assert.deepEqual(headerOf(text, 'host'), ['example.test:8080']);
    assert.deepEqual(headerOf(text, 'connection'), ['Upgrade']);
    assert.deepEqual(headerOf(text, 'upgrade'), ['websocket']);
    assert.deepEqual(headerOf(text, 'sec-websocket-version'), ['13']);
    assert.deepEqual(headerOf(text, 'sec-websocket-key'), [key]);
    assert.deepEqual(headerOf(text, 'user-agent'), ['agent-sla/1']);
    assert.deepEqual(headerOf(text, 'x-lorem'), ['ipsum']);
    assert.deepEqual(headerOf(text, 'sec-websocket-protocol'), [], 'no subprotocol header without subprotocols');
    assert.equal(Buffer.from(key, 'base64').length, 16);
  });

  it('draws a new random key for every request', () => {
    const keys = new Set<string>();
    for (let index = 0; index < 500; index++) keys.add(upgradeRequest(socketTarget('ws://127.0.0.1/'), [], {}).key);
    assert.equal(keys.size, 500);
  });

  it('leaves the default port out of Host, keeps IPv6 brackets, and lets a script header replace Host', () => {
    assert.deepEqual(headerOf(upgradeRequest(socketTarget('ws://example.test:80/'), [], {}).text, 'host'), ['example.test']);
    assert.deepEqual(headerOf(upgradeRequest(socketTarget('wss://example.test:443/'), [], {}).text, 'host'), ['example.test']);
    assert.deepEqual(headerOf(upgradeRequest(socketTarget('wss://example.test:80/'), [], {}).text, 'host'), ['example.test:80']);
    assert.deepEqual(headerOf(upgradeRequest(socketTarget('ws://[::1]:9000/'), [], {}).text, 'host'), ['[::1]:9000']);
    assert.deepEqual(headerOf(upgradeRequest(socketTarget('ws://127.0.0.1:9000/'), [], { host: 'virtual.test' }).text, 'host'), ['virtual.test']);
  });

  it('offers the subprotocols in one header, which replaces a script one; the handshake’s own headers cannot be replaced', () => {
    const { text } = upgradeRequest(socketTarget('ws://127.0.0.1/'), ['chat.v1', 'chat.v2'], {
      'sec-websocket-protocol': 'mine',
      connection: 'keep-alive',
      Upgrade: 'h2c',
      'Sec-WebSocket-Version': '8',
      'sec-websocket-key': 'x',
    });
    assert.deepEqual(headerOf(text, 'sec-websocket-protocol'), ['chat.v1,chat.v2']);
    assert.deepEqual(headerOf(text, 'connection'), ['Upgrade']);
    assert.deepEqual(headerOf(text, 'upgrade'), ['websocket']);
    assert.deepEqual(headerOf(text, 'sec-websocket-version'), ['13']);
    assert.equal(headerOf(text, 'sec-websocket-key').length, 1);
    assert.deepEqual(headerOf(upgradeRequest(socketTarget('ws://127.0.0.1/'), [], { 'Sec-WebSocket-Protocol': 'mine' }).text, 'sec-websocket-protocol'), ['mine']);
  });

  it('sends credentials in the URL as Basic authorization, unless the script sends its own', () => {
    const { text } = upgradeRequest(socketTarget('ws://us%3Aer:p%40ss@127.0.0.1/'), [], {});
    assert.deepEqual(headerOf(text, 'authorization'), [`Basic ${Buffer.from('us:er:p@ss').toString('base64')}`]);
    assert.deepEqual(headerOf(upgradeRequest(socketTarget('ws://user:pass@127.0.0.1/'), [], { authorization: 'Bearer t' }).text, 'authorization'), ['Bearer t']);
  });

  it('refuses, as ws and Node do, an invalid or repeated subprotocol and a header that is not valid HTTP', () => {
    const url = socketTarget('ws://127.0.0.1/');
    assert.throws(() => upgradeRequest(url, ['chat v1'], {}), { name: 'SyntaxError', message: 'An invalid or duplicated subprotocol was specified' });
    assert.throws(() => upgradeRequest(url, ['a', 'b', 'a'], {}), { name: 'SyntaxError' });
    assert.throws(() => upgradeRequest(url, [''], {}), { name: 'SyntaxError' });
    assert.throws(() => upgradeRequest(url, [], { 'X-Evil': 'a\r\nInjected: yes' }), { code: 'ERR_INVALID_CHAR' });
    assert.throws(() => upgradeRequest(url, [], { 'Bad Name': 'x' }), { code: 'ERR_INVALID_HTTP_TOKEN' });
  });

  it('accepts a 101 whose accept key is derived from ours, and names what is wrong with one that is not right', () => {
    const key = upgradeRequest(socketTarget('ws://127.0.0.1/'), [], {}).key;
    assert.equal(upgradeAnswerError(answer(key), key, []), undefined);
    assert.equal(upgradeAnswerError(answer(key, { upgrade: 'WebSocket', connection: 'keep-alive, Upgrade' }), key, []), undefined);
    assert.equal(upgradeAnswerError(answer(key, { 'sec-websocket-accept': acceptFor('another key') }), key, []), 'Invalid Sec-WebSocket-Accept header');
    assert.equal(upgradeAnswerError(answer(key, { 'sec-websocket-accept': undefined }), key, []), 'Invalid Sec-WebSocket-Accept header');
    assert.equal(upgradeAnswerError(answer(key, { upgrade: 'h2c' }), key, []), 'Invalid Upgrade header');
    assert.equal(upgradeAnswerError(answer(key, { upgrade: undefined }), key, []), 'Invalid Upgrade header');
    assert.equal(
      upgradeAnswerError(answer(key, { 'sec-websocket-extensions': 'permessage-deflate' }), key, []),
      'Server sent a Sec-WebSocket-Extensions header but no extension was requested',
    );
  });

  it('takes as an upgrade, as Node does, a 101 with an Upgrade header and Connection: upgrade; any other answer is a refusal', () => {
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    assert.equal(isUpgradeAnswer(101, answer(key)), true);
    assert.equal(isUpgradeAnswer(101, answer(key, { upgrade: 'h2c' })), true, 'then refused for its Upgrade header');
    assert.equal(isUpgradeAnswer(101, answer(key, { connection: 'keep-alive' })), false);
    assert.equal(isUpgradeAnswer(101, answer(key, { connection: undefined })), false);
    assert.equal(isUpgradeAnswer(101, answer(key, { upgrade: undefined })), false);
    assert.equal(isUpgradeAnswer(200, answer(key)), false);
    assert.equal(isUpgradeAnswer(401, {}), false);
  });

  it('checks the subprotocol the server chose against those offered', () => {
    const key = upgradeRequest(socketTarget('ws://127.0.0.1/'), [], {}).key;
    const offered = ['chat.v1', 'chat.v2'];
    assert.equal(upgradeAnswerError(answer(key, { 'sec-websocket-protocol': 'chat.v2' }), key, offered), undefined);
    assert.equal(upgradeAnswerError(answer(key, { 'sec-websocket-protocol': 'chat.v3' }), key, offered), 'Server sent an invalid subprotocol');
    assert.equal(upgradeAnswerError(answer(key, { 'sec-websocket-protocol': 'chat.v1, chat.v2' }), key, offered), 'Server sent an invalid subprotocol');
    assert.equal(upgradeAnswerError(answer(key), key, offered), 'Server sent no subprotocol');
    assert.equal(upgradeAnswerError(answer(key, { 'sec-websocket-protocol': 'chat.v1' }), key, []), 'Server sent a subprotocol but none was requested');
  });
});
