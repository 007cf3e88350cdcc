import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineBuiltinMetrics } from '../metrics/builtin-metrics.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import type { MetricDefinition } from '../metrics/types.ts';
import { defaultTestOptions } from '../options/defaults.ts';
import { SummaryBreakdown } from './breakdown.ts';
import { buildSummaryData } from './summary-data.ts';
import { textSummary } from './text-summary.ts';

const row = (shown: string, values: string, column: number) => `${shown}${'.'.repeat(column - shown.length)}: ${values}`;

/** Samples of two scenarios: `default` with groups login > inner, and `left` with a group crocodiles. */
function run(mode: 'compact' | 'full') {
  const options = defaultTestOptions();
  const registry = new MetricsRegistry();
  defineBuiltinMetrics(registry, options.systemTags);
  const breakdown = new SummaryBreakdown(mode);
  const emit = (name: string, value: number, tags: Record<string, string>) => {
    const metric = registry.get(name)!;
    const sample = { metric: { name, type: metric.type, contains: metric.contains } as MetricDefinition, tags: Object.freeze(tags), value, time: Date.now() };
    registry.add(sample);
    breakdown.add(sample);
  };
  emit('http_reqs', 1, { scenario: 'left', group: '' });
  emit('http_reqs', 1, { scenario: 'left', group: '' });
  emit('http_reqs', 1, { scenario: 'left', group: '::crocodiles' });
  emit('checks', 1, { scenario: 'left', group: '::crocodiles', check: 'crocodile exists' });
  emit('http_reqs', 1, { scenario: 'default', group: '::login' });
  emit('checks', 0, { scenario: 'default', group: '::login', check: 'logged in' });
  emit('http_reqs', 1, { scenario: 'default', group: '::login::inner' });
  return buildSummaryData({
    registry,
    thresholds: [],
    checks: [
      { groupPath: '::crocodiles', name: 'crocodile exists', passes: 1, fails: 0 },
      { groupPath: '::login', name: 'logged in', passes: 0, fails: 1 },
    ],
    groups: ['::crocodiles', '::login', '::login::inner'],
    options,
    testRunDurationMs: 2000,
    isStdOutTTY: false,
    isStdErrTTY: false,
    noColor: true,
    breakdown,
  });
}

test('full mode: a GROUP section per group outside named scenarios, a SCENARIO section per named scenario, nested groups under ↳', () => {
  const text = textSummary(run('full'), { colors: false, mode: 'full' });
  const group = [
    '  █ GROUP: login ',
    '',
    row('    checks_total', '1       0.5/s', 39),
    row('    checks_succeeded', '0.00%   0 out of 1', 39),
    row('    checks_failed', '100.00% 1 out of 1', 39),
    '',
    '    ✗ logged in',
    '      ↳  0% — ✓ 0 / ✗ 1',
    '',
    '    HTTP',
    row('    http_reqs', '1 0.5/s', 25),
    '',
    '    ↳ GROUP: inner ',
    '',
    '      HTTP',
    row('      http_reqs', '1 0.5/s', 27),
    '',
    '',
  ].join('\n');
  const scenario = [
    '  █ SCENARIO: left ',
    '',
    row('    checks_total', '1       0.5/s', 39),
    row('    checks_succeeded', '100.00% 1 out of 1', 39),
    row('    checks_failed', '0.00%   0 out of 1', 39),
    '',
    '    ✓ crocodile exists',
    '',
    '    HTTP',
    row('    http_reqs', '3 1.5/s', 25),
    '',
    '    ↳ GROUP: crocodiles ',
    '',
    row('      checks_total', '1       0.5/s', 41),
    row('      checks_succeeded', '100.00% 1 out of 1', 41),
    row('      checks_failed', '0.00%   0 out of 1', 41),
    '',
    '      ✓ crocodile exists',
    '',
    '      HTTP',
    row('      http_reqs', '1 0.5/s', 27),
    '',
    '',
  ].join('\n');
  assert.ok(text.endsWith(`\n${group}\n${scenario}`), text);
  assert.ok(text.includes(['    ✓ crocodile exists', '    ✗ logged in', '      ↳  0% — ✓ 0 / ✗ 1'].join('\n')), 'TOTAL RESULTS lists every check by name');
});

test('compact mode has no GROUP or SCENARIO section, even with a full breakdown', () => {
  for (const data of [run('compact'), run('full')]) {
    const text = textSummary(data, { colors: false, mode: 'compact' });
    assert.ok(!text.includes('GROUP') && !text.includes('SCENARIO'));
    assert.ok(text.includes(row('    http_reqs', '5 2.5/s', 25)));
  }
});

test('full mode without a breakdown (data from a script) still renders the totals', () => {
  const data = structuredClone(run('full'));
  const text = textSummary(data, { colors: false, mode: 'full' });
  assert.ok(text.includes('█ TOTAL RESULTS') && !text.includes('SCENARIO'));
  assert.ok(text.includes(['    ✓ crocodile exists', '    ✗ logged in'].join('\n')), 'checks from root_group');
});
