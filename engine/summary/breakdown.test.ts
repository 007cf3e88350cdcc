import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricDefinition, Sample } from '../metrics/types.ts';
import { SummaryBreakdown } from './breakdown.ts';

const checks: MetricDefinition = { name: 'checks', type: 'rate', contains: 'default' };
const reqs: MetricDefinition = { name: 'http_reqs', type: 'counter', contains: 'default' };
const sample = (metric: MetricDefinition, value: number, tags: Record<string, string>): Sample => ({ metric, tags: Object.freeze(tags), value, time: 0 });

test('checks are counted by their check tag across groups and scenarios, first seen first', () => {
  const breakdown = new SummaryBreakdown('compact');
  breakdown.add(sample(checks, 1, { check: 'b', group: '::g' }));
  breakdown.add(sample(checks, 0, { check: 'a', scenario: 's' }));
  breakdown.add(sample(checks, 1, { check: 'b' }));
  breakdown.add(sample(checks, 1, {}));
  breakdown.add(sample(reqs, 1, { check: 'not a check sample' }));
  assert.deepEqual(breakdown.checkCounts(), [
    { name: 'b', passes: 2, fails: 0 },
    { name: 'a', passes: 0, fails: 1 },
  ]);
  assert.deepEqual(breakdown.report(['avg'], 1000), { groups: {}, scenarios: {} }, 'compact keeps no groups');
});

test('full: a sample counts for its named scenario and its innermost group; `default` is no scenario', () => {
  const breakdown = new SummaryBreakdown('full');
  breakdown.add(sample(reqs, 1, { scenario: 'default', group: '::a::b' }));
  breakdown.add(sample(reqs, 2, { scenario: 'default', group: '::a' }));
  breakdown.add(sample(reqs, 4, { scenario: 'x', group: '::a' }));
  breakdown.add(sample(reqs, 8, { scenario: 'x', group: '' }));
  breakdown.add(sample(reqs, 16, {}));
  const { groups, scenarios } = breakdown.report([], 1000);
  assert.deepEqual(Object.keys(groups), ['a']);
  assert.deepEqual(groups.a!.metrics.http_reqs!.values, { count: 2, rate: 2 });
  assert.deepEqual(groups.a!.groups.b!.metrics.http_reqs!.values, { count: 1, rate: 1 });
  assert.equal(groups.a!.checks, undefined, 'no checks samples, no checks block');
  assert.deepEqual(Object.keys(scenarios), ['x']);
  assert.deepEqual(scenarios.x!.metrics.http_reqs!.values, { count: 12, rate: 12 });
  assert.deepEqual(scenarios.x!.groups.a!.metrics.http_reqs!.values, { count: 4, rate: 4 });
});
