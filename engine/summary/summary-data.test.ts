import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineBuiltinMetrics } from '../metrics/builtin-metrics.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { Thresholds } from '../metrics/thresholds.ts';
import type { MetricDefinition, TagSet } from '../metrics/types.ts';
import { defaultTestOptions } from '../options/defaults.ts';
import type { TestOptions } from '../options/test-options.ts';
import { SummaryBreakdown } from './breakdown.ts';
import { buildSummaryData, type SummaryInput } from './summary-data.ts';
import { SUMMARY_DETAILS } from './summary-types.ts';

function setup(thresholds: TestOptions['thresholds'] = {}) {
  const options: TestOptions = { ...defaultTestOptions(), thresholds };
  const registry = new MetricsRegistry();
  defineBuiltinMetrics(registry, options.systemTags);
  registry.define({ name: 'custom_waiting_time', type: 'trend', contains: 'default' });
  const breakdown = new SummaryBreakdown('compact');
  const add = (name: string, values: number[], tags: TagSet = Object.freeze({})) => {
    const metric = registry.get(name)!;
    const def: MetricDefinition = { name, type: metric.type, contains: metric.contains };
    for (const value of values) {
      const sample = { metric: def, tags, value, time: Date.now() };
      registry.add(sample);
      breakdown.add(sample);
    }
  };
  const input = (rest: Partial<SummaryInput> = {}): SummaryInput => ({
    registry,
    thresholds: [],
    checks: [],
    groups: [],
    options,
    testRunDurationMs: 2000,
    isStdOutTTY: true,
    isStdErrTTY: false,
    noColor: true,
    breakdown,
    ...rest,
  });
  return { registry, add, input, options };
}

test('data.metrics has the observed metrics and submetrics with k6’s values per type', () => {
  const { add, input } = setup();
  add('http_reqs', [1, 1, 1, 1]);
  add('vus', [1, 5, 3]);
  add('http_req_failed', [0, 1, 0, 0]);
  add('http_req_duration', [100, 300], Object.freeze({ expected_response: 'true' }));
  add('http_req_duration', [200], Object.freeze({ expected_response: 'false' }));
  add('data_received', [1000]);
  const data = buildSummaryData(input());

  assert.deepEqual(Object.keys(data.metrics).sort(), ['data_received', 'http_req_duration', 'http_req_duration{expected_response:true}', 'http_req_failed', 'http_reqs', 'vus']);
  assert.deepEqual(data.metrics.http_reqs, { type: 'counter', contains: 'default', values: { count: 4, rate: 2 } });
  assert.deepEqual(data.metrics.vus, { type: 'gauge', contains: 'default', values: { value: 3, min: 1, max: 5 } });
  assert.deepEqual(data.metrics.http_req_failed, { type: 'rate', contains: 'default', values: { rate: 0.25, passes: 1, fails: 3 } });
  assert.deepEqual(data.metrics.data_received, { type: 'counter', contains: 'data', values: { count: 1000, rate: 500 } });
  assert.deepEqual(data.metrics.http_req_duration, {
    type: 'trend',
    contains: 'time',
    values: { avg: 200, min: 100, med: 200, max: 300, 'p(90)': 280, 'p(95)': 290 },
  });
  assert.deepEqual(data.metrics['http_req_duration{expected_response:true}']!.values, { avg: 200, min: 100, med: 200, max: 300, 'p(90)': 280, 'p(95)': 290 });
  assert.equal('thresholds' in data.metrics.http_reqs!, false, 'no thresholds key without thresholds');
});

test('thresholds appear on their metric or submetric, keyed by expression; threshold metrics show without samples', () => {
  const { registry, input } = setup({
    http_req_duration: [{ threshold: 'p(95)<500', abortOnFail: false, delayAbortEvalMs: 0 }],
    'http_reqs{status:200}': [{ threshold: 'count>10', abortOnFail: false, delayAbortEvalMs: 0 }],
  });
  const thresholds = new Thresholds(input().options.thresholds, registry);
  const data = buildSummaryData(input({ thresholds: thresholds.evaluate(2000) }));
  assert.deepEqual(data.metrics.http_req_duration?.thresholds, { 'p(95)<500': { ok: true } });
  assert.deepEqual(data.metrics['http_reqs{status:200}']?.thresholds, { 'count>10': { ok: false } });
  assert.deepEqual(data.metrics['http_reqs{status:200}']?.values, { count: 0, rate: 0 });
  assert.ok(data.metrics.http_reqs, 'the parent of a threshold submetric is shown too');
  assert.equal(data.metrics.http_reqs?.thresholds, undefined);
  assert.equal(data[SUMMARY_DETAILS]?.thresholdValues['http_reqs{status:200}']?.['count>10'], 0);
});

test('root_group: groups in order, parents made as needed, checks with k6’s paths and md5 ids', () => {
  const { input } = setup();
  const data = buildSummaryData(
    input({
      groups: ['::login', '::login::inner'],
      checks: [
        { groupPath: '', name: 'status is 200', passes: 3, fails: 1 },
        { groupPath: '::login', name: 'status is 200', passes: 2, fails: 0 },
        { groupPath: '::login', name: 'status is 200', passes: 1, fails: 1 },
        { groupPath: '::login::inner::deep', name: 'x', passes: 1, fails: 0 },
      ],
    }),
  );
  const root = data.root_group;
  assert.deepEqual([root.name, root.path, root.id], ['', '', 'd41d8cd98f00b204e9800998ecf8427e']);
  assert.deepEqual(root.checks, [{ name: 'status is 200', path: '::status is 200', id: '6210a8cd14cd70477eba5c5e4cb3fb5f', passes: 3, fails: 1 }]);
  const login = root.groups[0]!;
  assert.deepEqual([login.name, login.path, login.id], ['login', '::login', 'a7d10b3a6c9a385ee254f0dbc7f9c8c9']);
  assert.deepEqual(login.checks, [{ name: 'status is 200', path: '::login::status is 200', id: 'a659066fb7eb0f38feb711d11a175611', passes: 3, fails: 1 }]);
  const inner = login.groups[0]!;
  assert.deepEqual([inner.name, inner.path, inner.id], ['inner', '::login::inner', 'c477b680fbcfa985cce3aaa07239ed69']);
  assert.deepEqual([inner.groups[0]?.name, inner.groups[0]?.id, inner.groups[0]?.checks.length], ['deep', 'bb9203ee1ec80eafdd5599c22ecc40ff', 1]);
  assert.equal(root.groups.length, 1);
});

test('options, state and setup_data are k6’s; the text summary’s extras stay out of JSON and clones', () => {
  const { input, options } = setup();
  options.summaryTrendStats = ['avg', 'p(99)', 'count'];
  options.summaryTimeUnit = 'ms';
  const data = buildSummaryData(input({ testRunDurationMs: 1234.5, setupData: { token: 'abc' } }));
  assert.deepEqual(data.options, { summaryTrendStats: ['avg', 'p(99)', 'count'], summaryTimeUnit: 'ms', noColor: true });
  assert.deepEqual(data.state, { isStdOutTTY: true, isStdErrTTY: false, testRunDurationMs: 1234.5 });
  assert.deepEqual(data.setup_data, { token: 'abc' });
  assert.ok(data[SUMMARY_DETAILS]);
  const json = JSON.parse(JSON.stringify(data));
  assert.deepEqual(Object.keys(json).sort(), ['metrics', 'options', 'root_group', 'setup_data', 'state']);
  assert.equal(structuredClone(data)[SUMMARY_DETAILS], undefined);
  assert.equal('setup_data' in JSON.parse(JSON.stringify(buildSummaryData(input()))), false, 'no setup: undefined, absent from JSON');
});
