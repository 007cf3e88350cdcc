import assert from 'node:assert/strict';
import test from 'node:test';
import type { MetricDefinition, Sample, TagSet } from '../metrics/types.ts';
import { fieldValue, parseFieldKinds } from './influxdb-fields.ts';
import { LineEncoder, timestampOf, writePrecisionOf } from './influxdb-lines.ts';

const duration: MetricDefinition = { name: 'http_req_duration', type: 'trend', contains: 'time' };
const time = 1_700_000_000_123.5;
const sample = (tags: TagSet, value = 12.5, at = time): Sample => ({ metric: duration, tags: Object.freeze({ ...tags }), value, time: at });
const kinds = parseFieldKinds(['vu:int', 'iter:int', 'url', 'error', 'ok:bool', 'ratio:float']);

test('tags stay tags, configured tags become typed fields, value is a float field, time in ns', () => {
  const encoder = new LineEncoder(kinds, 'ns');
  const [line] = encoder.encode([sample({ status: '200', name: 'GET /x', url: 'http://h/x?a=1', vu: '3', iter: '17', error: 'dial: "refused"', ok: 'true', ratio: '0.25' })]);
  assert.equal(
    line,
    'http_req_duration,name=GET\\ /x,status=200 value=12.5,error="dial: \\"refused\\"",iter=17i,ok=true,ratio=0.25,url="http://h/x?a=1",vu=3i 1700000000123500000',
  );
});

test('a field value that is not of its type is written as a string, as k6 does', () => {
  assert.equal(fieldValue('int', '12'), '12i');
  assert.equal(fieldValue('int', '-3'), '-3i');
  assert.equal(fieldValue('int', '1.5'), '"1.5"');
  assert.equal(fieldValue('int', '99999999999999999999'), '"99999999999999999999"');
  assert.equal(fieldValue('float', '1e3'), '1000');
  assert.equal(fieldValue('float', 'abc'), '"abc"');
  assert.equal(fieldValue('bool', 'False'), 'false');
  assert.equal(fieldValue('bool', 'yes'), '"yes"');
  assert.equal(fieldValue('string', 'a"b\\c'), '"a\\"b\\\\c"');
});

test('line protocol escaping: commas, spaces and equals signs in tags; empty tag values left out', () => {
  const encoder = new LineEncoder(new Map(), 'ns');
  const [line] = encoder.encode([sample({ 'my tag': 'a,b=c d', empty: '', group: '::g' })]);
  assert.equal(line, 'http_req_duration,group=::g,my\\ tag=a\\,b\\=c\\ d value=12.5 1700000000123500000');
});

test('a tag value ending in a backslash does not swallow the separator after it', () => {
  const encoder = new LineEncoder(new Map(), 'ns');
  const [line] = encoder.encode([sample({ a: 'x\\', b: 'y' })]);
  assert.equal(line, 'http_req_duration,a=x\\\\,b=y value=12.5 1700000000123500000');
});

test('a tag named value does not replace the sample value', () => {
  const encoder = new LineEncoder(parseFieldKinds(['value']), 'ns');
  assert.equal(encoder.encode([sample({ value: 'x' }, 7)])[0], 'http_req_duration value=7 1700000000123500000');
});

test('timestamps follow the precision, truncated; minutes and hours are written as seconds', () => {
  assert.equal(timestampOf(time, 'ns'), 1_700_000_000_123_500_000n);
  assert.equal(timestampOf(time, 'us'), 1_700_000_000_123_500n);
  assert.equal(timestampOf(time, 'ms'), 1_700_000_000_123n);
  assert.equal(timestampOf(time, 's'), 1_700_000_000n);
  assert.equal(timestampOf(time, 'm'), 1_699_999_980n);
  assert.equal(timestampOf(time, 'h'), 1_699_999_200n);
  assert.equal(writePrecisionOf('m'), 's');
  assert.equal(writePrecisionOf('ms'), 'ms');
});

test('at ns precision two samples of one series never share a timestamp; other series and precisions keep theirs', () => {
  const tags = { status: '200' };
  const ns = new LineEncoder(new Map(), 'ns').encode([sample(tags, 1), sample(tags, 2), sample({ status: '500' }, 3), sample(tags, 4)]);
  assert.deepEqual(
    ns.map((line) => line.split(' ')[2]),
    ['1700000000123500000', '1700000000123500001', '1700000000123500000', '1700000000123500002'],
  );
  const ms = new LineEncoder(new Map(), 'ms').encode([sample(tags, 1), sample(tags, 2)]);
  assert.deepEqual(
    ms.map((line) => line.split(' ')[2]),
    ['1700000000123', '1700000000123'],
  );
});

test('NaN and infinite values are left out: InfluxDB cannot store them', () => {
  const lines = new LineEncoder(new Map(), 'ns').encode([sample({}, Number.NaN), sample({}, Number.POSITIVE_INFINITY), sample({}, 1)]);
  assert.deepEqual(lines, ['http_req_duration value=1 1700000000123500000']);
});
