import assert from 'node:assert/strict';
import test, { after, before } from 'node:test';
import { startTestInflux, type TestInflux } from '../../test/support/influx.ts';
import type { MetricDefinition } from '../metrics/types.ts';
import { createOutput } from './index.ts';
import { collectingContext, httpReqDuration, samplesOf } from './test-support.ts';

let influx: TestInflux;
before(async () => {
  influx = await startTestInflux();
});
after(() => influx?.stop());

interface Series {
  name: string;
  columns: string[];
  values: unknown[][];
}

async function influxql(db: string, q: string, epoch = 'ns'): Promise<Series[]> {
  const response = await fetch(`${influx.url}/query?${new URLSearchParams({ db, q, epoch })}`);
  const body = (await response.json()) as { results: Array<{ series?: Series[]; error?: string }> };
  const result = body.results[0];
  if (!result || result.error) throw new Error(`${q}: ${result?.error ?? 'no result'}`);
  return result.series ?? [];
}

/** Times as exact strings: JSON numbers cannot hold today's nanoseconds. */
async function nanosecondTimes(db: string, measurement: string): Promise<string[]> {
  const response = await fetch(`${influx.url}/query?${new URLSearchParams({ db, q: `SELECT value FROM "${measurement}"`, epoch: 'ns' })}`, { headers: { accept: 'application/csv' } });
  const rows = (await response.text()).trim().split('\n').slice(1);
  return rows.map((row) => row.split(',')[2] ?? '');
}

/** A loaded machine may make a write slower than the push interval, which k6 warns of too; nothing else may be said. */
const lossWarnings = (warnings: string[]): string[] => warnings.filter((line) => !/longer than the push interval/.test(line));

const vus: MetricDefinition = { name: 'vus', type: 'gauge', contains: 'default' };
const requestTags = {
  testid: 'run-1',
  scenario: 'journey',
  name: 'GET /billing/usage',
  method: 'GET',
  status: '200',
  expected_response: 'true',
  url: 'http://127.0.0.1:3000/billing/usage?run_id=42',
  vu: '7',
  iter: '3',
  error: 'dial tcp 127.0.0.1:1: connect: connection refused',
};

test('writes what k6 writes with our settings: tags, typed fields (url a field), value, ns timestamps; creates the database', async () => {
  const db = 'agent-sla outputs';
  const context = collectingContext({ K6_INFLUXDB_TAGS_AS_FIELDS: 'vu:int,iter:int,url,error', K6_INFLUXDB_PUSH_INTERVAL: '100ms' });
  const output = createOutput(`influxdb=${influx.url}/${encodeURIComponent(db)}`, context);
  assert.equal(output.description, `InfluxDBv1 (${influx.url})`);
  await output.start();
  // Fractions a float of epoch milliseconds holds exactly: 0.125 ms, 0.5 ms, 0.25 ms.
  const first = Date.UTC(2024, 0, 2, 3, 4, 5) + 0.125;
  output.addSamples([
    { metric: httpReqDuration, tags: Object.freeze({ ...requestTags }), value: 123.456, time: first },
    { metric: vus, tags: Object.freeze({ testid: 'run-1' }), value: 10, time: first + 1000.5 },
  ]);
  output.addSamples([{ metric: httpReqDuration, tags: Object.freeze({ ...requestTags, status: '500', vu: '8' }), value: 1e-7, time: first + 2000.25 }]);
  await output.stop();
  assert.deepEqual(lossWarnings(context.warnings), []);

  const [durations] = await influxql(db, 'SELECT * FROM "http_req_duration"', 'ms');
  assert.ok(durations, 'http_req_duration is a measurement');
  assert.deepEqual(durations.columns, ['time', 'error', 'expected_response', 'iter', 'method', 'name', 'scenario', 'status', 'testid', 'url', 'value', 'vu']);
  assert.deepEqual(durations.values[0], [Math.floor(first), requestTags.error, 'true', 3, 'GET', 'GET /billing/usage', 'journey', '200', 'run-1', requestTags.url, 123.456, 7]);
  assert.deepEqual(durations.values[1]?.slice(7, 12), ['500', 'run-1', requestTags.url, 1e-7, 8]);

  const tagKeys = (await influxql(db, 'SHOW TAG KEYS FROM "http_req_duration"'))[0]?.values.map((row) => row[0]);
  assert.deepEqual(tagKeys, ['expected_response', 'method', 'name', 'scenario', 'status', 'testid']);
  const fieldKeys = (await influxql(db, 'SHOW FIELD KEYS FROM "http_req_duration"'))[0]?.values;
  assert.deepEqual(fieldKeys, [['error', 'string'], ['iter', 'integer'], ['url', 'string'], ['value', 'float'], ['vu', 'integer']]);

  assert.deepEqual(await nanosecondTimes(db, 'http_req_duration'), ['1704164645000125000', '1704164647000375000']);
  assert.deepEqual(await nanosecondTimes(db, 'vus'), ['1704164646000625000']);
});

test("without K6_INFLUXDB_TAGS_AS_FIELDS, k6's default applies: vu, iter and url are string fields", async () => {
  const context = collectingContext();
  const output = createOutput(`influxdb=${influx.url}/defaults`, context);
  await output.start();
  output.addSamples(samplesOf(httpReqDuration, requestTags, 1, Date.now()));
  await output.stop();
  assert.deepEqual(lossWarnings(context.warnings), []);
  const fieldKeys = (await influxql('defaults', 'SHOW FIELD KEYS FROM "http_req_duration"'))[0]?.values;
  assert.deepEqual(fieldKeys, [['iter', 'string'], ['url', 'string'], ['value', 'float'], ['vu', 'string']]);
  const tagKeys = (await influxql('defaults', 'SHOW TAG KEYS FROM "http_req_duration"'))[0]?.values.map((row) => row[0]);
  assert.ok(tagKeys?.includes('error'), 'error stays a tag unless configured');
});

test('a retention policy and a coarser precision are honoured', async () => {
  await influxql('', 'CREATE DATABASE "rp_db"');
  await influxql('rp_db', 'CREATE RETENTION POLICY "short" ON "rp_db" DURATION 1h REPLICATION 1');
  const context = collectingContext();
  const output = createOutput(`influxdb=${influx.url}/rp_db?retention=short&precision=ms`, context);
  await output.start();
  const now = Math.floor(Date.now() / 1000) * 1000 + 0.75;
  output.addSamples(samplesOf(httpReqDuration, { status: '200' }, 3, now));
  await output.stop();
  assert.deepEqual(lossWarnings(context.warnings), []);
  assert.deepEqual(await influxql('rp_db', 'SELECT * FROM "http_req_duration"'), [], 'nothing in the default policy');
  const [series] = await influxql('rp_db', 'SELECT value FROM "rp_db"."short"."http_req_duration"', 'ms');
  assert.deepEqual(series?.values, [[now - 0.75, 0], [now + 0.25, 1], [now + 1.25, 2]].map(([t, v]) => [Math.floor(t!), v]));
});

test('thousands of samples of one series at one instant are all kept, across several batches', async () => {
  const context = collectingContext();
  const output = createOutput(`influxdb=${influx.url}/bulk`, context);
  await output.start();
  const time = Date.now();
  const batch = Array.from({ length: 12_000 }, (_, index) => ({ metric: httpReqDuration, tags: Object.freeze({ status: '200' }), value: index, time }));
  for (let from = 0; from < batch.length; from += 1000) output.addSamples(batch.slice(from, from + 1000));
  await output.stop();
  assert.deepEqual(lossWarnings(context.warnings), []);
  const [count] = await influxql('bulk', 'SELECT COUNT("value"), SUM("value") FROM "http_req_duration"');
  assert.deepEqual(count?.values[0]?.slice(1), [12_000, (11_999 * 12_000) / 2]);
});
