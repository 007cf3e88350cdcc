import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WHOLE_TEST, parseExecutionSegment } from '../options/execution-segment.ts';
import type { ScenarioOptions } from '../options/test-options.ts';
import { planVus } from './vu-plan.ts';

const common = { exec: 'default', startTimeMs: 0, gracefulStopMs: 30_000, env: {}, tags: {} };
const constant = (vus: number, durationMs: number, startTimeMs = 0): ScenarioOptions => ({ ...common, startTimeMs, executor: 'constant-vus', vus, durationMs });

test('overlapping scenarios add up; one after the other reuse the same VUs', () => {
  assert.deepEqual(planVus([constant(5, 10_000), constant(3, 10_000)], WHOLE_TEST), { planned: 8, possible: 8 });
  // The second starts when the first's gracefulStop is over: the VUs are back by then.
  assert.deepEqual(planVus([constant(5, 10_000), constant(3, 10_000, 40_000)], WHOLE_TEST), { planned: 5, possible: 5 });
  // Starting inside the first one's gracefulStop: both are held at once.
  assert.equal(planVus([constant(5, 10_000), constant(3, 10_000, 20_000)], WHOLE_TEST).planned, 8);
});

test('arrival rates plan their pre-allocated VUs and may grow to maxVUs', () => {
  const arrival: ScenarioOptions = { ...common, executor: 'constant-arrival-rate', rate: 10, timeUnitMs: 1000, durationMs: 5000, preAllocatedVUs: 2, maxVUs: 10 };
  assert.deepEqual(planVus([arrival, constant(1, 5000)], WHOLE_TEST), { planned: 3, possible: 11 });
});

test('ramping-vus plans its peak', () => {
  const ramping: ScenarioOptions = { ...common, executor: 'ramping-vus', startVUs: 0, gracefulRampDownMs: 30_000, stages: [{ durationMs: 1000, target: 7 }, { durationMs: 1000, target: 0 }] };
  assert.equal(planVus([ramping], WHOLE_TEST).planned, 7);
});

test('segments plan their own share', () => {
  const halves = ['0:1/2', '1/2:1'].map((segment) => parseExecutionSegment(segment, '0,1/2,1'));
  assert.deepEqual(halves.map((segment) => planVus([constant(5, 10_000)], segment).planned), [3, 2]);
});
