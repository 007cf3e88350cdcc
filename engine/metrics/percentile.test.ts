import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile } from './percentile.ts';

test('no values give 0, one value gives that value at every percentile', () => {
  assert.equal(percentile([], 0, 95), 0);
  assert.equal(percentile(new Float64Array(8), 0, 50), 0);
  for (const p of [0, 50, 99.9, 100]) assert.equal(percentile([7], 1, p), 7);
});

test('two values: the ends at p(0) and p(100), a straight line between', () => {
  const values = [10, 20];
  assert.equal(percentile(values, 2, 0), 10);
  assert.equal(percentile(values, 2, 100), 20);
  assert.equal(percentile(values, 2, 50), 15);
  assert.equal(percentile(values, 2, 25), 12.5);
  assert.notEqual(percentile(values, 2, 50), 10, 'interpolates rather than taking the nearest rank');
});

test('a percentile on an exact rank returns that value', () => {
  const values = [1, 2, 3, 4, 5];
  assert.equal(percentile(values, 5, 25), 2);
  assert.equal(percentile(values, 5, 50), 3);
  assert.equal(percentile(values, 5, 75), 4);
});

test('a percentile between ranks interpolates from the lower rank', () => {
  const values = [1, 2, 3, 4, 5];
  // rank = p/100 × (n − 1): p(90) → 3.6, between 4 and 5
  assert.equal(percentile(values, 5, 90), 4 + (0.9 * 4 - 3));
  assert.ok(Math.abs(percentile(values, 5, 90) - 4.6) < 1e-12);
  assert.ok(Math.abs(percentile(values, 5, 99.9) - 4.996) < 1e-12);
});

test('ten values: p(95) of 10..100 is 95.5, computed in k6’s order of operations', () => {
  const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  const rank = (95 / 100) * 9;
  assert.equal(percentile(values, 10, 95), 90 + (100 - 90) * (rank - 8));
  assert.ok(Math.abs(percentile(values, 10, 95) - 95.5) < 1e-9);
  assert.equal(percentile(values, 10, 0), 10);
  assert.equal(percentile(values, 10, 100), 100);
});

test('only the first `count` entries of a larger buffer count', () => {
  const buffer = new Float64Array([1, 3, 0, 0, 0, 0]);
  assert.equal(percentile(buffer, 2, 100), 3);
  assert.equal(percentile(buffer, 2, 50), 2);
});
