import assert from 'node:assert/strict';
import test from 'node:test';
import { createOutput } from './index.ts';
import { InfluxDbOutput } from './influxdb-output.ts';
import { closedPort, collectingContext, httpReqDuration, recordingServer, samplesOf, waitFor, type RecordedRequest } from './test-support.ts';

const isWrite = (request: RecordedRequest): boolean => request.path.startsWith('/api/v2/write');

test('an unreachable InfluxDB: one warning at start, no password in it, the run goes on, stop() ends in bounded time', async () => {
  const port = await closedPort();
  const context = collectingContext({ K6_INFLUXDB_PUSH_INTERVAL: '50ms' });
  const output = createOutput(`influxdb=http://me:topsecret@127.0.0.1:${port}/k6`, context);
  assert.equal(output.description, `InfluxDBv1 (http://127.0.0.1:${port})`);
  await output.start();
  assert.equal(context.warnings.length, 1);
  assert.match(context.warnings[0]!, /unreachable .*ECONNREFUSED.*the test goes on/);
  for (let round = 0; round < 5; round++) output.addSamples(samplesOf(httpReqDuration, { status: '200' }, 10, Date.now()));
  await new Promise((resolve) => setTimeout(resolve, 300)); // some push intervals pass, each write failing the same way
  const stopping = Date.now();
  await output.stop();
  assert.ok(Date.now() - stopping < 20_000, 'stop() is bounded');
  assert.equal(context.warnings.length, 2, context.warnings.join('\n'));
  assert.match(context.warnings[1]!, /50 of 50 samples were not stored \(last error: .*ECONNREFUSED/);
  for (const line of context.warnings) assert.ok(!line.includes('topsecret'), line);
});

test('wrong credentials: the server says 401, the warning says so without the password, the run goes on', async () => {
  const server = await recordingServer((_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"authorization failed"}');
  });
  try {
    const context = collectingContext({ K6_INFLUXDB_USERNAME: 'envuser', K6_INFLUXDB_PASSWORD: 'wrong-secret' });
    const output = createOutput(`influxdb=${server.url}/k6`, context);
    assert.ok(!output.description.includes('wrong-secret'));
    await output.start();
    output.addSamples(samplesOf(httpReqDuration, { status: '200' }, 3, Date.now()));
    await output.stop();
    assert.equal(server.requests[0]?.headers.authorization, 'Token envuser:wrong-secret', 'the credentials were offered');
    assert.match(context.warnings[0] ?? '', /refused the credentials \(HTTP 401: authorization failed\)/);
    assert.match(context.warnings.at(-1) ?? '', /3 of 3 samples were not stored/);
    for (const line of context.warnings) assert.ok(!line.includes('wrong-secret'), line);
  } finally {
    await server.close();
  }
});

test('a failed write is a warning, its samples are lost, and the output writes again once the server recovers', async () => {
  let failing = true;
  const server = await recordingServer((request, response) => {
    if (isWrite(request) && failing) response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"engine: cache maximum memory size exceeded"}');
    else response.writeHead(isWrite(request) ? 204 : 200).end();
  });
  try {
    const context = collectingContext({ K6_INFLUXDB_PUSH_INTERVAL: '50ms' });
    const output = createOutput(`influxdb=${server.url}/k6`, context);
    await output.start();
    output.addSamples(samplesOf(httpReqDuration, { status: '200' }, 5, Date.now()));
    await waitFor(() => context.warnings.length > 0);
    assert.match(context.warnings[0] ?? '', /5 samples could not be written \(HTTP 500: engine: cache maximum memory size exceeded\); the test goes on/);
    failing = false;
    output.addSamples(samplesOf(httpReqDuration, { status: '201' }, 5, Date.now()));
    await waitFor(() => context.warnings.length > 1);
    assert.match(context.warnings[1] ?? '', /writing again \(5 samples lost so far\)/);
    await output.stop();
    assert.match(context.warnings.at(-1) ?? '', /: 5 of 10 samples were not stored$/);
    const written = server.requests.filter(isWrite).at(-1)?.body.split('\n') ?? [];
    assert.equal(written.length, 5);
    assert.ok(written.every((line) => line.startsWith('http_req_duration,status=201 value=')));
  } finally {
    await server.close();
  }
});

test('samples go out in batches, with the database, bucket, precision and credentials InfluxDB 1.8 expects', async () => {
  const server = await recordingServer((request, response) => response.writeHead(isWrite(request) ? 204 : 200).end());
  try {
    const context = collectingContext();
    const output = createOutput(`influxdb=http://user:pass@127.0.0.1:${new URL(server.url).port}/my-db?retention=rp1`, context);
    await output.start();
    for (let round = 0; round < 10; round++) output.addSamples(samplesOf(httpReqDuration, { status: '200' }, 100, Date.now()));
    await output.stop();
    assert.deepEqual(context.warnings, []);
    const [create, ...writes] = server.requests;
    assert.equal(create?.path, '/query');
    assert.equal(new URLSearchParams(create?.body).get('q'), 'CREATE DATABASE "my-db"');
    assert.equal(writes.length, 1, 'one request for 1000 samples, not one per sample');
    const write = writes[0]!;
    assert.equal(write.path, '/api/v2/write?bucket=my-db%2Frp1&precision=ns');
    assert.equal(write.headers.authorization, 'Token user:pass');
    assert.equal(write.headers['content-encoding'], 'gzip');
    assert.equal(write.body.split('\n').length, 1000);
  } finally {
    await server.close();
  }
});

test('at most K6_INFLUXDB_CONCURRENT_WRITES requests are in flight', async () => {
  let open = 0;
  let mostOpen = 0;
  const held: Array<() => void> = [];
  const server = await recordingServer((request, response) => {
    if (!isWrite(request)) return void response.writeHead(200).end();
    open++;
    mostOpen = Math.max(mostOpen, open);
    const answer = (): void => {
      open--;
      response.writeHead(204).end();
    };
    // Hold each write until a second one arrives (or a while passes), so that overlapping writes overlap here.
    held.push(answer);
    if (held.length >= 2) held.splice(0).forEach((release) => release());
    else setTimeout(() => held.splice(0).forEach((release) => release()), 3000).unref();
  });
  try {
    const context = collectingContext({ K6_INFLUXDB_CONCURRENT_WRITES: '2' });
    const output = new InfluxDbOutput(`${server.url}/k6`, context, { batchSize: 100 });
    await output.start();
    output.addSamples(samplesOf(httpReqDuration, { status: '200' }, 600, Date.now()));
    await output.stop();
    assert.deepEqual(context.warnings.filter((line) => !/push interval/.test(line)), []);
    assert.equal(server.requests.filter(isWrite).length, 6);
    assert.equal(mostOpen, 2);
  } finally {
    await server.close();
  }
});

test('a server that does not answer: the queue stays bounded, drops are warned of, stop() cancels in bounded time', async () => {
  const server = await recordingServer((request, response) => {
    if (!isWrite(request)) response.writeHead(200).end(); // writes are never answered
  });
  try {
    const context = collectingContext({ K6_INFLUXDB_PUSH_INTERVAL: '50ms', K6_INFLUXDB_CONCURRENT_WRITES: '1' });
    const output = new InfluxDbOutput(`${server.url}/k6`, context, { maxQueuedSamples: 100, batchSize: 50, stopTimeoutMs: 500, requestTimeoutMs: 60_000 });
    await output.start();
    output.addSamples(samplesOf(httpReqDuration, { status: '200' }, 50, Date.now()));
    await waitFor(() => server.requests.some(isWrite));
    assert.ok(server.requests.some(isWrite), 'the first write is in flight');
    output.addSamples(samplesOf(httpReqDuration, { status: '200' }, 300, Date.now()));
    await waitFor(() => context.warnings.length > 0);
    assert.match(context.warnings[0] ?? '', /200 samples dropped, 100 were already waiting to be written/);
    const stopping = Date.now();
    await output.stop();
    assert.ok(Date.now() - stopping < 10_000, 'stop() is bounded');
    assert.match(context.warnings.at(-1) ?? '', /350 of 350 samples were not stored/);
  } finally {
    await server.close();
  }
});
