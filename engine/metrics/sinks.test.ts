import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CounterSink, createSink, formatValues, GaugeSink, RateSink, TrendSink } from './sinks.ts';
import { parseTrendStat } from './trend-stats.ts';

test('a Counter sums its values; its rate is per second of test run', () => {
  const sink = new CounterSink();
  assert.ok(sink.isEmpty);
  sink.add(2);
  sink.add(3);
  sink.add(0);
  assert.ok(!sink.isEmpty);
  assert.deepEqual(formatValues(sink, [], 2000), { count: 5, rate: 2.5 });
  assert.equal(sink.rate(0), 0, 'no test time: no rate rather than Infinity');
});

test('a Gauge keeps the last value, the min and the max (negative values too)', () => {
  const sink = new GaugeSink();
  assert.ok(sink.isEmpty);
  for (const value of [-3, -1, -7, -2]) sink.add(value);
  assert.deepEqual(formatValues(sink, [], 1000), { value: -2, min: -7, max: -1 });
});

test('a Rate counts non-zero values as passes', () => {
  const sink = new RateSink();
  assert.equal(sink.rate, 0);
  for (const value of [1, 0, 5, 0, -1]) sink.add(value);
  assert.deepEqual(formatValues(sink, [], 1000), { rate: 3 / 5, passes: 3, fails: 2 });
});

test('a Trend keeps every value: exact count, sum, min, max, avg, med and percentiles past its initial buffer', () => {
  const sink = new TrendSink();
  assert.deepEqual(formatValues(sink, ['avg', 'min', 'med', 'max', 'p(95)', 'count'], 1000), { avg: 0, min: 0, med: 0, max: 0, 'p(95)': 0, count: 0 });
  // 1..1000 added in a scrambled order: more values than the first buffer holds
  for (let i = 0; i < 1000; i++) sink.add(((i * 7919) % 1000) + 1);
  assert.equal(sink.count, 1000);
  assert.equal(sink.sum, 500500);
  const values = formatValues(sink, ['avg', 'min', 'med', 'max', 'p(90)', 'p(99.9)', 'count'], 1000);
  assert.deepEqual(Object.keys(values), ['avg', 'min', 'med', 'max', 'p(90)', 'p(99.9)', 'count']);
  assert.equal(values.avg, 500.5);
  assert.equal(values.min, 1);
  assert.equal(values.max, 1000);
  assert.equal(values.med, 500.5);
  assert.ok(Math.abs(values['p(90)']! - 900.1) < 1e-9);
  assert.ok(Math.abs(values['p(99.9)']! - 999.001) < 1e-9);
  sink.add(5000);
  assert.equal(sink.percentile(100), 5000, 'a value added after a read is sorted in at the next read');
});

test('createSink gives the sink of each type', () => {
  assert.ok(createSink('counter') instanceof CounterSink);
  assert.ok(createSink('gauge') instanceof GaugeSink);
  assert.ok(createSink('rate') instanceof RateSink);
  assert.ok(createSink('trend') instanceof TrendSink);
});

test('summaryTrendStats entries: named stats and p(0..100) are accepted, anything else is refused', () => {
  assert.deepEqual(parseTrendStat('med'), { kind: 'med' });
  assert.deepEqual(parseTrendStat('p(99.99)'), { kind: 'percentile', p: 99.99 });
  assert.throws(() => parseTrendStat('mean'), /invalid trend stat 'mean', unknown format/);
  assert.throws(() => parseTrendStat('p(101)'), /provide a number between 0 and 100/);
  assert.throws(() => parseTrendStat('p(x)'), /invalid percentile trend stat value 'p\(x\)'/);
  assert.throws(() => formatValues(new TrendSink(), ['total'], 1000), /unknown format/);
});
