import assert from 'node:assert/strict';
import test from 'node:test';
import { epochNanos, goFloat, goJson, goTime } from './go-json.ts';

test('floats print as Go prints them: plain from 1e-4 up to 1e6, exponent form outside', () => {
  assert.equal(goFloat(5), '5');
  assert.equal(goFloat(459.865729), '459.865729');
  assert.equal(goFloat(100000), '100000');
  assert.equal(goFloat(999999.5), '999999.5');
  assert.equal(goFloat(0.0001), '0.0001');
  assert.equal(goFloat(0.1 + 0.2), '0.30000000000000004');
  assert.equal(goFloat(1e6), '1e+06');
  assert.equal(goFloat(1234567), '1.234567e+06');
  assert.equal(goFloat(-2.5e10), '-2.5e+10');
  assert.equal(goFloat(0.00001), '1e-05');
  assert.equal(goFloat(1.5e-7), '1.5e-07');
  assert.equal(goFloat(1e21), '1e+21');
  assert.equal(goFloat(1.25e-100), '1.25e-100');
  assert.equal(goFloat(0), '0');
  assert.equal(goFloat(-0), '-0');
});

test('a float that JSON cannot carry becomes null rather than an unreadable line', () => {
  assert.equal(goFloat(Number.NaN), 'null');
  assert.equal(goFloat(Number.POSITIVE_INFINITY), 'null');
});

test('times are RFC 3339 with the fraction trimmed, Z for UTC, ±hh:mm otherwise', () => {
  const t = Date.UTC(2021, 1, 24, 13, 37, 10);
  assert.equal(goTime(t, 0), '2021-02-24T13:37:10Z');
  assert.equal(goTime(t + 0.5, 0), '2021-02-24T13:37:10.0005Z');
  assert.equal(goTime(t + 123.25, 0), '2021-02-24T13:37:10.12325Z');
  assert.equal(goTime(t + 625, 120), '2021-02-24T15:37:10.625+02:00');
  assert.equal(goTime(t, -330), '2021-02-24T08:07:10-05:30');
  // Crossing midnight backwards keeps the calendar right.
  assert.equal(goTime(Date.UTC(2021, 0, 1, 1, 0, 0), -120), '2020-12-31T23:00:00-02:00');
});

test('without an offset, a time is written in the local zone at that instant', () => {
  const t = Date.UTC(2017, 4, 9, 12, 34, 45) + 625.742;
  const offset = -new Date(t).getTimezoneOffset();
  assert.equal(goTime(t), goTime(t, offset));
});

test('epoch nanoseconds keep the sub-millisecond part of the float, to the microsecond', () => {
  assert.equal(epochNanos(1_700_000_000_123.5), 1_700_000_000_123_500_000n);
  assert.equal(epochNanos(1_700_000_000_123.25), 1_700_000_000_123_250_000n);
  assert.equal(epochNanos(1_700_000_000_123), 1_700_000_000_123_000_000n);
  assert.equal(epochNanos(1_600_000_000_625.742), 1_600_000_000_625_742_000n);
  assert.equal(epochNanos(1_600_000_000_999.9999), 1_600_000_001_000_000_000n);
  assert.notEqual(epochNanos(1_700_000_000_123.25), epochNanos(1_700_000_000_123.5));
});

test('strings escape what Go escapes for HTML, and stay valid JSON', () => {
  const text = goJson('a<b>&c\u2028"q"\n');
  assert.equal(text, '"a\\u003cb\\u003e\\u0026c\\u2028\\"q\\"\\n"');
  assert.equal(JSON.parse(text), 'a<b>&c\u2028"q"\n');
  assert.equal(goJson(['x<1']), '["x\\u003c1"]');
});
