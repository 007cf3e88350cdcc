import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantArrivals, poissonGaps, rampingArrivals } from './arrival-times.ts';

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

test('Poisson arrivals keep the rate on average, vary their gaps, and repeat from the same seed', () => {
  const times = [...constantArrivals(100, 1000, 60_000, undefined, poissonGaps(7))];
  assert.ok(Math.abs(times.length - 6000) < 6000 * 0.05, `${times.length} arrivals in 60 s at 100/s`);
  const gaps = times.slice(1).map((at, i) => at - times[i]!);
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  // Exponential gaps: the standard deviation equals the mean (even gaps would have none).
  assert.ok(Math.abs(Math.sqrt(variance) / mean - 1) < 0.1, `coefficient of variation ${Math.sqrt(variance) / mean}`);
  assert.deepEqual([...constantArrivals(100, 1000, 1000, undefined, poissonGaps(7))], times.filter((at) => at < 1000));
  assert.notDeepEqual([...constantArrivals(100, 1000, 1000, undefined, poissonGaps(8))], times.filter((at) => at < 1000));
  const ramped = [...rampingArrivals(0, 1000, [{ durationMs: 10_000, target: 200 }], undefined, poissonGaps(3))];
  assert.ok(Math.abs(ramped.length - 1000) < 100, `${ramped.length} arrivals under a ramp whose area is 1000`);
});

test('Poisson gaps pass a Kolmogorov–Smirnov test against the exponential distribution; even gaps fail it', () => {
  const ksStatistic = (gaps: number[]): number => {
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    const sorted = gaps.map((gap) => gap / mean).sort((a, b) => a - b);
    let largest = 0;
    sorted.forEach((x, i) => {
      const expected = 1 - Math.exp(-x);
      largest = Math.max(largest, Math.abs((i + 1) / sorted.length - expected), Math.abs(i / sorted.length - expected));
    });
    return largest;
  };
  const gapsOf = (times: number[]): number[] => times.slice(1).map((at, i) => at - times[i]!);
  const poisson = gapsOf([...constantArrivals(50, 1000, 40_000, undefined, poissonGaps(42))]);
  // The 5 % critical value of the one-sample KS test: 1.36 / sqrt(n).
  const critical = 1.36 / Math.sqrt(poisson.length);
  assert.ok(ksStatistic(poisson) < critical, `D = ${ksStatistic(poisson)} against ${critical}`);
  const even = gapsOf([...constantArrivals(50, 1000, 40_000)]);
  assert.ok(ksStatistic(even) > critical, 'evenly spaced arrivals are not exponential');
});
