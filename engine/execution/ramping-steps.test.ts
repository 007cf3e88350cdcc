import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gracefulSteps, maxVusOf, rampingSteps } from './ramping-steps.ts';

const s = (durationMs: number, target: number) => ({ durationMs, target });

test('ramping up from 0 to 10 over 10 s starts one VU each second, the first after 1 s', () => {
  const steps = rampingSteps(0, [s(10_000, 10)], false);
  assert.deepEqual(steps.slice(0, 3), [{ at: 0, vus: 0 }, { at: 1000, vus: 1 }, { at: 2000, vus: 2 }]);
  assert.deepEqual(steps[steps.length - 1], { at: 10_000, vus: 10 });
  assert.equal(steps.length, 11);
});

test('ramping down from 10 to 0 over 10 s stops one VU each second, the first after 1 s', () => {
  const steps = rampingSteps(10, [s(10_000, 0)], false);
  assert.deepEqual(steps.slice(0, 3), [{ at: 0, vus: 10 }, { at: 1000, vus: 9 }, { at: 2000, vus: 8 }]);
  assert.deepEqual(steps[steps.length - 1], { at: 10_000, vus: 0 });
});

test('a zero-length stage jumps at once; a flat stage adds nothing; zeroEnd ends at 0', () => {
  assert.deepEqual(rampingSteps(1, [s(0, 5), s(5000, 5)], true), [{ at: 0, vus: 1 }, { at: 0, vus: 5 }, { at: 5000, vus: 0 }]);
});

test('ramped-down VUs are given gracefulRampDown before they are hard-stopped', () => {
  const raw = rampingSteps(4, [s(2000, 2), s(10_000, 2)], false);
  const graceful = gracefulSteps(raw, 3000, 12_000 + 30_000);
  // 4 → 3 at 1 s and → 2 at 2 s; the VUs above may run until 1 s + 3 s and 2 s + 3 s.
  assert.deepEqual(graceful, [{ at: 0, vus: 4 }, { at: 4000, vus: 3 }, { at: 5000, vus: 2 }, { at: 42_000, vus: 0 }]);
  assert.equal(maxVusOf(graceful), 4);
});

test('a ramp back up within gracefulRampDown keeps the VUs reserved', () => {
  const raw = rampingSteps(2, [s(1000, 1), s(1000, 2), s(1000, 2)], false);
  const graceful = gracefulSteps(raw, 5000, 3000 + 1000);
  assert.deepEqual(graceful, [{ at: 0, vus: 2 }, { at: 4000, vus: 0 }]);
});

test('without gracefulRampDown, hard stops follow the ramp exactly', () => {
  const raw = rampingSteps(3, [s(3000, 0)], false);
  assert.deepEqual(gracefulSteps(raw, 0, 3000 + 1000), [...raw]);
});
