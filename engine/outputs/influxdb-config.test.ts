import assert from 'node:assert/strict';
import test from 'node:test';
import { influxConfig, redactUrlText } from './influxdb-config.ts';
import { OutputConfigError } from './output.ts';

test('k6 defaults: localhost:8086, database k6, vu, iter and url as string fields, 1 s, 4 writes, ns', () => {
  const config = influxConfig('', {});
  assert.equal(config.addr, 'http://localhost:8086');
  assert.equal(config.db, 'k6');
  assert.deepEqual([...config.tagsAsFields], [['vu', 'string'], ['iter', 'string'], ['url', 'string']]);
  assert.equal(config.pushIntervalMs, 1000);
  assert.equal(config.concurrentWrites, 4);
  assert.equal(config.precision, 'ns');
  assert.equal(config.retention, '');
  assert.equal(config.insecure, false);
  assert.equal(config.username, undefined);
  assert.equal(config.password, undefined);
});

test('the URL gives address, database, credentials and query settings', () => {
  const config = influxConfig('https://me:p%40ss@db.example:8087/my%20db?precision=ms&retention=short&insecure=true&pushInterval=250ms&concurrentWrites=2&tagsAsFields=vu:int&tagsAsFields=url', {});
  assert.equal(config.addr, 'https://db.example:8087');
  assert.equal(config.db, 'my db');
  assert.equal(config.username, 'me');
  assert.equal(config.password, 'p@ss');
  assert.equal(config.precision, 'ms');
  assert.equal(config.retention, 'short');
  assert.equal(config.insecure, true);
  assert.equal(config.pushIntervalMs, 250);
  assert.equal(config.concurrentWrites, 2);
  assert.deepEqual([...config.tagsAsFields], [['vu', 'int'], ['url', 'string']]);
});

test('a path before the database is a prefix of the address (a reverse proxy)', () => {
  const config = influxConfig('http://proxy.example/influxdb/myk6db', {});
  assert.equal(config.addr, 'http://proxy.example/influxdb');
  assert.equal(config.db, 'myk6db');
  assert.equal(influxConfig('http://127.0.0.1:8086/', {}).db, 'k6');
});

test('K6_INFLUXDB_* settings apply, and the URL wins over them', () => {
  const env = {
    K6_INFLUXDB_ADDR: 'http://env-host:9999',
    K6_INFLUXDB_DB: 'envdb',
    K6_INFLUXDB_USERNAME: 'envuser',
    K6_INFLUXDB_PASSWORD: 'envpass',
    K6_INFLUXDB_TAGS_AS_FIELDS: 'vu:int,iter:int,url,error',
    K6_INFLUXDB_PUSH_INTERVAL: '2s',
    K6_INFLUXDB_CONCURRENT_WRITES: '8',
    K6_INFLUXDB_PRECISION: 's',
    K6_INFLUXDB_RETENTION: 'rp',
    K6_INFLUXDB_INSECURE: 'true',
    K6_INFLUXDB_PROXY: 'http://proxy:3128',
  };
  const fromEnv = influxConfig('', env);
  assert.equal(fromEnv.addr, 'http://env-host:9999');
  assert.equal(fromEnv.db, 'envdb');
  assert.equal(fromEnv.username, 'envuser');
  assert.equal(fromEnv.password, 'envpass');
  assert.deepEqual([...fromEnv.tagsAsFields.keys()], ['vu', 'iter', 'url', 'error']);
  assert.equal(fromEnv.tagsAsFields.get('vu'), 'int');
  assert.equal(fromEnv.pushIntervalMs, 2000);
  assert.equal(fromEnv.concurrentWrites, 8);
  assert.equal(fromEnv.precision, 's');
  assert.equal(fromEnv.retention, 'rp');
  assert.equal(fromEnv.insecure, true);
  assert.equal(fromEnv.proxy, 'http://proxy:3128');

  const both = influxConfig('http://url-user:url-pass@url-host:8086/urldb', env);
  assert.equal(both.addr, 'http://url-host:8086');
  assert.equal(both.db, 'urldb');
  assert.equal(both.username, 'url-user');
  assert.equal(both.password, 'url-pass');
  assert.equal(both.concurrentWrites, 8, 'what the URL does not say stays as the environment set it');
});

test('an empty variable counts as unset', () => {
  const config = influxConfig('', { K6_INFLUXDB_DB: '', K6_INFLUXDB_TAGS_AS_FIELDS: '', K6_INFLUXDB_PUSH_INTERVAL: '' });
  assert.equal(config.db, 'k6');
  assert.equal(config.tagsAsFields.size, 3);
  assert.equal(config.pushIntervalMs, 1000);
});

test('bad settings are one-line config errors', () => {
  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['not a url', {}, /not a URL/],
    ['udp://127.0.0.1:8089', {}, /UDP/],
    ['ftp://127.0.0.1/k6', {}, /ftp/],
    ['http://127.0.0.1:8086/k6?bogus=1', {}, /unknown query parameter: bogus/],
    ['http://127.0.0.1:8086/k6?insecure=yes', {}, /insecure/],
    ['http://127.0.0.1:8086/k6?precision=days', {}, /precision/],
    ['http://127.0.0.1:8086/k6?pushInterval=soon', {}, /pushInterval/],
    ['', { K6_INFLUXDB_CONCURRENT_WRITES: '0' }, /ConcurrentWrites must be a positive number/],
    ['', { K6_INFLUXDB_CONCURRENT_WRITES: 'four' }, /CONCURRENT_WRITES/],
    ['', { K6_INFLUXDB_INSECURE: 'maybe' }, /INSECURE/],
    ['', { K6_INFLUXDB_TAGS_AS_FIELDS: 'vu:int,vu' }, /shows up more than once/],
    ['', { K6_INFLUXDB_TAGS_AS_FIELDS: 'vu:integer' }, /invalid type \(integer\)/],
    ['', { K6_INFLUXDB_PUSH_INTERVAL: '0s' }, /PushInterval/],
  ];
  for (const [url, env, message] of bad) {
    assert.throws(() => influxConfig(url, env), (error: unknown) => error instanceof OutputConfigError && message.test(error.message) && !error.message.includes('\n'), `${url} ${JSON.stringify(env)}`);
  }
});

test('a bad URL with credentials is reported without its password', () => {
  assert.throws(
    () => influxConfig('ftp://me:topsecret@host/k6', {}),
    (error: unknown) => error instanceof Error && !error.message.includes('topsecret'),
  );
  assert.equal(redactUrlText('http://me:topsecret@host:8086/k6'), 'http://me:***@host:8086/k6');
  assert.equal(redactUrlText('http://host:8086/k6'), 'http://host:8086/k6');
});
