import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CookieJar } from './cookie-jar.ts';
import { httpUnderTest, startServer, type TestServer } from './test-support.ts';

let server: TestServer;

before(async () => {
  server = await startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/set') {
      response.setHeader('Set-Cookie', [
        'session=abc; Path=/; HttpOnly',
        'scoped=only-here; Path=/area',
        'gone=soon; Max-Age=0',
        'dated=x; Expires=Wed, 21 Oct 2065 07:28:00 GMT; Secure',
      ]);
    }
    response.end(request.headers.cookie ?? '');
  });
});

after(() => server.close());

test('cookies a server sets are stored in the VU\'s jar and sent back, by path', async () => {
  const http = httpUnderTest();
  http.vu.execution.iterationInInstance = 0;
  const set = await http.get(`${server.url}/set`);
  assert.deepEqual(set.cookies.session, [{ name: 'session', value: 'abc', domain: '', path: '/', httpOnly: true, secure: false, maxAge: 0, expires: 0 }]);
  assert.equal(set.cookies.dated![0]!.expires, Date.UTC(2065, 9, 21, 7, 28));
  assert.equal(set.cookies.dated![0]!.secure, true);
  assert.equal(set.cookies.gone![0]!.maxAge, -1);
  assert.equal((await http.get(`${server.url}/elsewhere`)).body, 'session=abc');
  assert.equal((await http.get(`${server.url}/area/page`)).body, 'scoped=only-here; session=abc');
  const jar = http.call<CookieJar>('cookieJar');
  assert.deepEqual(jar.cookiesForURL(`${server.url}/area`), { scoped: ['only-here'], session: ['abc'] });
  assert.deepEqual(jar.cookiesForURL(`https://127.0.0.1:${server.port}/`), { session: ['abc'], dated: ['x'] });
});

test('each iteration starts with an empty jar, and each VU has its own', async () => {
  const first = httpUnderTest({ id: 1 });
  const second = httpUnderTest({ id: 2 });
  first.vu.execution.iterationInInstance = 0;
  await first.get(`${server.url}/set`);
  assert.equal((await first.get(`${server.url}/`)).body, 'session=abc');
  assert.equal((await second.get(`${server.url}/`)).body, '');
  first.vu.execution.iterationInInstance = 1;
  assert.equal((await first.get(`${server.url}/`)).body, '');

  const keeping = httpUnderTest({ options: { raw: { noCookiesReset: true } } });
  keeping.vu.execution.iterationInInstance = 0;
  await keeping.get(`${server.url}/set`);
  keeping.vu.execution.iterationInInstance = 1;
  assert.equal((await keeping.get(`${server.url}/`)).body, 'session=abc');
});

test('params.cookies are sent with the request only; replace hides the jar\'s cookie of that name', async () => {
  const http = httpUnderTest();
  await http.get(`${server.url}/set`);
  assert.equal((await http.get(`${server.url}/`, { cookies: { extra: 'one', session: 'mine' } })).body, 'extra=one; session=mine; session=abc');
  assert.equal((await http.get(`${server.url}/`, { cookies: { session: { value: 'mine', replace: true } } })).body, 'session=mine');
  assert.equal((await http.get(`${server.url}/`)).body, 'session=abc');
  const res = await http.get(`${server.url}/`, { cookies: { extra: 'one' }, headers: { Cookie: 'own=1' } });
  assert.equal(res.body, 'own=1; extra=one; session=abc');
  assert.deepEqual(res.request.cookies.extra, [{ name: 'extra', value: 'one', replace: false }]);
});

test('jar.set, cookiesForURL, delete and clear; a jar of its own through params.jar', async () => {
  const http = httpUnderTest();
  const jar = http.call<CookieJar>('cookieJar');
  jar.set(server.url, 'token', 't1');
  jar.set(server.url, 'scoped', 's1', { path: '/api', max_age: 600 });
  jar.set(server.url, 'old', 'o1', { expires: 'Mon, 02 Jan 2006 15:04:05 GMT' });
  assert.equal((await http.get(`${server.url}/`)).body, 'token=t1');
  assert.equal((await http.get(`${server.url}/api/x`)).body, 'scoped=s1; token=t1');
  jar.delete(server.url, 'token');
  assert.equal((await http.get(`${server.url}/`)).body, '');
  jar.clear(`${server.url}/api/x`);
  assert.deepEqual(jar.cookiesForURL(`${server.url}/api/x`), {});
  assert.throws(() => jar.set(server.url, 'bad', 'x', { expires: 'not a date' }), /unable to parse "expires" date string "not a date"/);

  const JarClass = http.exports.CookieJar as new () => CookieJar;
  const own = new JarClass();
  own.set(server.url, 'private', 'p');
  assert.equal((await http.get(`${server.url}/`, { jar: own })).body, 'private=p');
  await http.get(`${server.url}/set`, { jar: own });
  assert.deepEqual(own.cookiesForURL(`${server.url}/`).session, ['abc']);
  assert.deepEqual(jar.cookiesForURL(`${server.url}/`), {});
});

test('a cookie for another domain is refused; a domain cookie reaches subdomains', () => {
  const http = httpUnderTest();
  const jar = http.call<CookieJar>('cookieJar');
  jar.set('http://a.example.com/', 'wide', 'w', { domain: 'example.com' });
  jar.set('http://a.example.com/', 'narrow', 'n');
  jar.set('http://a.example.com/', 'foreign', 'f', { domain: 'other.com' });
  assert.deepEqual(jar.cookiesForURL('http://b.example.com/'), { wide: ['w'] });
  assert.deepEqual(jar.cookiesForURL('http://a.example.com/'), { wide: ['w'], narrow: ['n'] });
  assert.deepEqual(jar.cookiesForURL('http://other.com/'), {});
});
