import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import type { FileData } from './file-data.ts';
import { httpUnderTest, startServer, type TestServer } from './test-support.ts';

let server: TestServer;

before(async () => {
  server = await startServer((request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const payload = JSON.stringify({ acceptEncoding: request.headers['accept-encoding'] ?? '', hello: 'world' });
    if (url.pathname === '/gzip') {
      response.setHeader('Content-Encoding', 'gzip');
      response.end(zlib.gzipSync(payload));
    } else if (url.pathname === '/br') {
      response.setHeader('Content-Encoding', 'br');
      response.end(zlib.brotliCompressSync(payload));
    } else if (url.pathname === '/broken') {
      response.setHeader('Content-Encoding', 'gzip');
      response.end('this is not gzip');
    } else if (url.pathname === '/upload') {
      const encoding = request.headers['content-encoding'] ?? '';
      const decoded = encoding === 'gzip' ? zlib.gunzipSync(body) : encoding === 'br, gzip' ? zlib.brotliDecompressSync(zlib.gunzipSync(body)) : body;
      response.end(JSON.stringify({ encoding, contentType: request.headers['content-type'] ?? '', body: decoded.toString('latin1') }));
    } else {
      response.end(payload);
    }
  });
});

after(() => server.close());

test('a gzip answer to the engine\'s own Accept-Encoding is decoded and loses its Content-Encoding', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/gzip`);
  assert.deepEqual(res.json(), { acceptEncoding: 'gzip', hello: 'world' });
  assert.equal(res.headers['Content-Encoding'], undefined);
  assert.equal(res.request.headers['Accept-Encoding'], undefined);
});

test('a coding the script asked for is decoded too, and its header stays', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/br`, { headers: { 'Accept-Encoding': 'br' } });
  assert.deepEqual(res.json(), { acceptEncoding: 'br', hello: 'world' });
  assert.equal(res.headers['Content-Encoding'], 'br');
  const plain = await http.get(`${server.url}/plain`, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal((plain.json() as { acceptEncoding: string }).acceptEncoding, 'identity');
});

test('a body that does not decode is error 1701', async () => {
  const http = httpUnderTest();
  const res = await http.get(`${server.url}/broken`);
  assert.equal(res.error_code, 1701);
  assert.match(res.error, /^error decompressing response body \(/);
  assert.equal(http.sink.of('http_reqs')[0]!.tags.error_code, '1701');
});

test('params.compression compresses the request body and says so in Content-Encoding', async () => {
  const http = httpUnderTest();
  const gzip = (await http.post(`${server.url}/upload`, 'squeeze me', { compression: 'gzip' })).json();
  assert.deepEqual(gzip, { encoding: 'gzip', contentType: '', body: 'squeeze me' });
  const stacked = (await http.post(`${server.url}/upload`, 'twice', { compression: 'br, gzip' })).json();
  assert.deepEqual(stacked, { encoding: 'br, gzip', contentType: '', body: 'twice' });
  const unknown = await http.post(`${server.url}/upload`, 'x', { compression: 'lzma' });
  assert.equal(unknown.error, 'unknown compression algorithm lzma, supported algorithms are [gzip deflate zstd br]');
});

test('an object with an http.file() value is sent as multipart/form-data', async () => {
  const http = httpUnderTest();
  const upload = http.call<FileData>('file', new Uint8Array([104, 105]).buffer, 'hi.bin', 'application/x-test');
  const res = (await http.post(`${server.url}/upload`, { field: 'value', upload })).json() as { contentType: string; body: string };
  const boundary = /^multipart\/form-data; boundary=([0-9a-f]{60})$/.exec(res.contentType)?.[1];
  assert.ok(boundary, res.contentType);
  assert.equal(
    res.body,
    `--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="hi.bin"\r\nContent-Type: application/x-test\r\n\r\nhi\r\n` +
      `--${boundary}--\r\n`,
  );
  const named = http.call<FileData>('file', 'text');
  assert.equal(named.content_type, 'application/octet-stream');
  assert.match(named.filename, /^\d+$/);
  assert.throws(() => http.call('file', 12), /invalid type number/);
});
