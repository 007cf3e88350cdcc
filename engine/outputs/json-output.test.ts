import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import test, { after } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { MetricDefinition, Sample } from '../metrics/types.ts';
import { createOutput, OutputConfigError, type OutputContext } from './index.ts';

// k6 writes times in the machine's zone; a zone with a half-hour offset shows that this one is used.
process.env.TZ = 'Asia/Kolkata';

const dir = mkdtempSync(join(tmpdir(), 'agent-sla-json-output-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const vus: MetricDefinition = { name: 'vus', type: 'gauge', contains: 'default' };
const duration: MetricDefinition = { name: 'http_req_duration', type: 'trend', contains: 'time' };
const start = Date.UTC(2021, 1, 24, 13, 37, 10);
const tags = Object.freeze({ status: '200', method: 'GET', group: '' });

function samples(): Sample[] {
  return [
    { metric: vus, tags: Object.freeze({}), value: 5, time: start },
    { metric: duration, tags, value: 459.865729, time: start + 625.742 },
    { metric: duration, tags, value: 12.5, time: start + 1000.5 },
    { metric: vus, tags: Object.freeze({}), value: 6, time: start + 2000 },
  ];
}

function context(warnings: string[] = [], extra: Partial<OutputContext> = {}): OutputContext {
  return {
    env: {},
    cwd: dir,
    warn: (line) => warnings.push(line),
    thresholdsOf: (metric) => (metric === 'http_req_duration' ? ['p(95)<500', 'avg<200'] : []),
    submetricsOf: (metric) => (metric === 'http_req_duration' ? ['status:200'] : []),
    ...extra,
  };
}

const expectedLines = [
  '{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}',
  '{"type":"Point","data":{"time":"2021-02-24T19:07:10+05:30","value":5,"tags":{}},"metric":"vus"}',
  '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":["p(95)\\u003c500","avg\\u003c200"],' +
    '"submetrics":[{"name":"http_req_duration{status:200}","suffix":"status:200","tags":{"status":"200"}}]},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2021-02-24T19:07:10.625742+05:30","value":459.865729,"tags":{"group":"","method":"GET","status":"200"}},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2021-02-24T19:07:11.0005+05:30","value":12.5,"tags":{"group":"","method":"GET","status":"200"}},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2021-02-24T19:07:12+05:30","value":6,"tags":{}},"metric":"vus"}',
];

test('json=FILE writes a Metric line on first sight of a metric, then one Point line per sample', async () => {
  const output = createOutput('json=out.json', context());
  assert.equal(output.description, 'json (out.json)');
  await output.start();
  const all = samples();
  output.addSamples(all.slice(0, 2));
  output.addSamples(all.slice(2));
  await output.stop();
  const lines = readFileSync(join(dir, 'out.json'), 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'every line ends with a newline');
  assert.deepEqual(lines, expectedLines);
  for (const line of lines) JSON.parse(line);
});

test('a .gz file name gzips the same lines', async () => {
  const output = createOutput(`json=${join(dir, 'out.gz')}`, context());
  await output.start();
  output.addSamples(samples());
  await output.stop();
  const raw = readFileSync(join(dir, 'out.gz'));
  assert.deepEqual([...raw.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic bytes');
  assert.deepEqual(gunzipSync(raw).toString('utf8').trimEnd().split('\n'), expectedLines);
});

test('a plain file name is not gzipped', async () => {
  const output = createOutput('json=plain.json', context());
  await output.start();
  output.addSamples(samples());
  await output.stop();
  assert.equal(readFileSync(join(dir, 'plain.json'), 'utf8').slice(0, 1), '{');
});

test('samples reach the file while the test runs, not only at stop', async () => {
  const output = createOutput('json=live.json', context());
  await output.start();
  output.addSamples(samples());
  const deadline = Date.now() + 10_000;
  while (statSync(join(dir, 'live.json')).size === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 25));
  assert.ok(statSync(join(dir, 'live.json')).size > 0, 'written within 10 s');
  await output.stop();
});

test('json without a file name, or json=-, writes to stdout', async () => {
  for (const spec of ['json', 'json=-']) {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const output = createOutput(spec, context([], { stdout }));
    assert.equal(output.description, 'json(stdout)');
    await output.start();
    output.addSamples(samples());
    await output.stop();
    assert.deepEqual(text.trimEnd().split('\n'), expectedLines);
    assert.equal(stdout.writableEnded, false, 'stdout stays open for the summary');
  }
});

test('a file that cannot be created fails start with its name', async () => {
  const output = createOutput('json=no/such/dir/out.json', context());
  await assert.rejects(output.start(), /no\/such\/dir\/out\.json/);
});

test('an unknown output type is a one-line config error; json and influxdb are known', () => {
  assert.throws(() => createOutput('csv=out.csv', context()), (error: unknown) => error instanceof OutputConfigError && /"csv".*influxdb, json/.test(error.message));
  assert.throws(() => createOutput('', context()), OutputConfigError);
  assert.doesNotThrow(() => createOutput('json=x.json', context()));
  assert.doesNotThrow(() => createOutput('influxdb=http://127.0.0.1:1/k6', context()));
});
