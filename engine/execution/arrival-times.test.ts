import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantArrivals, rampingArrivals } from './arrival-times.ts';

test('a constant rate starts its first iteration at once, then one every period, until the duration', () => {
  assert.deepEqual([...constantArrivals(10, 1000, 1000)], [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  assert.deepEqual([...constantArrivals(1, 2000, 5000)], [0, 2000, 4000]);
});

test('ramping at a flat rate starts after one period, and the count is the area under the rate', () => {
  const times = [...rampingArrivals(10, 1000, [{ durationMs: 1000, target: 10 }])];
  assert.equal(times.length, 10);
  assert.ok(Math.abs(times[0]! - 100) < 1e-6);
  assert.ok(Math.abs(times[9]! - 1000) < 1e-6);
});

test('a linear ramp from 0 to 20/s over 2 s starts 20 iterations, closer together as the rate climbs', () => {
  const times = [...rampingArrivals(0, 1000, [{ durationMs: 2000, target: 20 }])];
  assert.equal(times.length, 20);
  // area(t) = 5 t² (t in s): the first at sqrt(1/5) s, the last at 2 s.
  assert.ok(Math.abs(times[0]! - Math.sqrt(0.2) * 1000) < 1e-6);
  assert.ok(Math.abs(times[19]! - 2000) < 1e-6);
  for (let i = 2; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! <= times[i - 1]! - times[i - 2]! + 1e-9);
});

test('segments split the iterations without overlap', () => {
  const owns = (index: number, count: number) => (g: number) => g % count === index;
  const all = [...constantArrivals(9, 1000, 1000)];
  const parts = [0, 1, 2].flatMap((index) => [...constantArrivals(9, 1000, 1000, owns(index, 3))]);
  assert.deepEqual(parts.sort((a, b) => a - b), all);
});
