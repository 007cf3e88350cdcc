import assert from 'node:assert/strict';
import test from 'node:test';
import type { MetricDefinition } from '../metrics/types.ts';
import { metricLine, parseSubmetric, PointLineWriter, tagsJson } from './json-lines.ts';

const gauge: MetricDefinition = { name: 'my_metric1', type: 'gauge', contains: 'default' };
const dataCounter: MetricDefinition = { name: 'my_metric2', type: 'counter', contains: 'data' };

test('a Metric line carries name, type, contains, thresholds and submetrics, in k6 order', () => {
  assert.equal(
    metricLine(gauge, ['rate<0.01', 'p(99)<250'], ['a:1,b:2']),
    '{"type":"Metric","data":{"name":"my_metric1","type":"gauge","contains":"default","thresholds":["rate\\u003c0.01","p(99)\\u003c250"],' +
      '"submetrics":[{"name":"my_metric1{a:1,b:2}","suffix":"a:1,b:2","tags":{"a":"1","b":"2"}}]},"metric":"my_metric1"}',
  );
  assert.equal(
    metricLine(dataCounter, [], []),
    '{"type":"Metric","data":{"name":"my_metric2","type":"counter","contains":"data","thresholds":[],"submetrics":null},"metric":"my_metric2"}',
  );
});

test('submetric selectors are parsed the way k6 parses threshold keys', () => {
  assert.deepEqual(parseSubmetric('http_req_duration', ' status:200 , method:"GET", name:\'a:b\' '), {
    name: 'http_req_duration{status:200 , method:"GET", name:\'a:b\'}',
    suffix: 'status:200 , method:"GET", name:\'a:b\'',
    tags: { status: '200', method: 'GET', name: 'a:b' },
  });
  assert.deepEqual(parseSubmetric('checks', 'scenario').tags, { scenario: '' });
  assert.notDeepEqual(parseSubmetric('checks', 'scenario:x').tags, { scenario: '' });
});

test('two selectors with the same tags make one submetric', () => {
  const line = JSON.parse(metricLine(gauge, [], ['a:1,b:2', 'b:2, a:1', 'a:2'])) as { data: { submetrics: Array<{ suffix: string }> } };
  assert.deepEqual(
    line.data.submetrics.map((s) => s.suffix),
    ['a:1,b:2', 'a:2'],
  );
});

test('a Point line has time, value and sorted tags', () => {
  const writer = new PointLineWriter();
  const time = Date.UTC(2021, 1, 24, 13, 37, 10);
  const line = writer.line({ metric: gauge, tags: Object.freeze({ tag2: 'b', tag1: 'a' }), value: 1234567, time });
  const parsed = JSON.parse(line) as { type: string; data: { time: string; value: number; tags: Record<string, string> }; metric: string };
  assert.equal(parsed.type, 'Point');
  assert.equal(parsed.metric, 'my_metric1');
  assert.equal(parsed.data.value, 1234567);
  assert.equal(Date.parse(parsed.data.time), time);
  assert.match(line, /"value":1\.234567e\+06,"tags":\{"tag1":"a","tag2":"b"\}\},"metric":"my_metric1"\}$/);
  assert.equal(tagsJson({}), '{}');
});
