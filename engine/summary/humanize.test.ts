import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanizeBytes, humanizeDuration, humanizeValue } from './humanize.ts';

test('durations take the largest fitting unit, cut to two decimals, as in k6’s examples', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [0.0005, '500ns'],
    [0.01039, '10.39µs'],
    [0.007, '7µs'],
    [148.2139, '148.21ms'],
    [148.219, '148.21ms'],
    [100, '100ms'],
    [1200, '1.2s'],
    [10150, '10.15s'],
    [60000, '1m0s'],
    [62000, '1m2s'],
    [62999, '1m2s'],
    [3_723_000, '1h2m3s'],
  ];
  for (const [ms, text] of cases) assert.equal(humanizeDuration(ms, ''), text, `${ms}ms`);
  assert.notEqual(humanizeDuration(148.219, ''), '148.22ms', 'cut, not rounded');
});

test('summaryTimeUnit fixes the unit with two decimals', () => {
  assert.equal(humanizeDuration(1234.5678, 's'), '1.23s');
  assert.equal(humanizeDuration(1234.5678, 'ms'), '1234.57ms');
  assert.equal(humanizeDuration(0.5, 'us'), '500.00µs');
  assert.equal(humanizeDuration(1234.5678, 'minutes'), '1.23s', 'an unknown unit falls back to the free format');
});

test('data sizes in SI units with one decimal below 10', () => {
  const cases: Array<[number, string]> = [
    [0, '0 B'],
    [5, '5 B'],
    [718.4, '718 B'],
    [1234, '1.2 kB'],
    [4925, '4.9 kB'],
    [519_000, '519 kB'],
    [5_000_000, '5.0 MB'],
    [7_100_000, '7.1 MB'],
  ];
  for (const [bytes, text] of cases) assert.equal(humanizeBytes(bytes), text, `${bytes} bytes`);
});

test('values by metric: rates as truncated percents, plain numbers with up to six decimals', () => {
  assert.equal(humanizeValue(0.99999, { type: 'rate', contains: 'default' }, ''), '99.99%');
  assert.equal(humanizeValue(1, { type: 'rate', contains: 'default' }, ''), '100.00%');
  assert.equal(humanizeValue(0, { type: 'rate', contains: 'default' }, ''), '0.00%');
  assert.equal(humanizeValue(13.1221794, { type: 'counter', contains: 'default' }, ''), '13.122179');
  assert.equal(humanizeValue(120, { type: 'trend', contains: 'default' }, ''), '120');
  assert.equal(humanizeValue(152.3555555, { type: 'trend', contains: 'default' }, ''), '152.355556');
  assert.equal(humanizeValue(1200, { type: 'trend', contains: 'time' }, ''), '1.2s');
  assert.equal(humanizeValue(519_000, { type: 'counter', contains: 'data' }, ''), '519 kB');
});
