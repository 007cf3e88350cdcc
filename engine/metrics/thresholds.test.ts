import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ThresholdSource } from '../options/test-options.ts';
import { defineBuiltinMetrics } from './builtin-metrics.ts';
import { MetricsRegistry } from './registry.ts';
import { ThresholdError, Thresholds } from './thresholds.ts';
import type { MetricDefinition, TagSet } from './types.ts';

const source = (threshold: string, abortOnFail = false, delayAbortEvalMs = 0): ThresholdSource => ({ threshold, abortOnFail, delayAbortEvalMs });
const plain = (...thresholds: string[]) => thresholds.map((threshold) => source(threshold));

function registryWithBuiltins(): MetricsRegistry {
  const registry = new MetricsRegistry();
  defineBuiltinMetrics(registry, ['expected_response']);
  return registry;
}

function add(registry: MetricsRegistry, name: string, values: number[], tags: TagSet = Object.freeze({})): void {
  const metric = registry.get(name)!;
  const def: MetricDefinition = { name, type: metric.type, contains: metric.contains };
  for (const value of values) registry.add({ metric: def, tags, value, time: Date.now() });
}

test('trend thresholds are exact: percentiles, med, avg, min, max', () => {
  const registry = registryWithBuiltins();
  add(registry, 'http_req_duration', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  const thresholds = new Thresholds({ http_req_duration: plain('p(95)<95.6', 'p(95)<95.4', 'med==55', 'avg>=55', 'min>10', 'max<=100') }, registry);
  const results = thresholds.evaluate(1000);
  assert.deepEqual(results.map((r) => r.ok), [true, false, true, true, false, true]);
  // 0.95 × 9 is 8.549999999999999 in binary floating point, in k6 as here
  assert.equal(results[0]!.value, 95.49999999999999);
  assert.equal(results[2]!.value, 55);
  assert.ok(thresholds.anyFailed);
  assert.deepEqual(
    { key: results[1]!.key, metricName: results[1]!.metricName, expression: results[1]!.expression, abortOnFail: results[1]!.abortOnFail },
    { key: 'http_req_duration', metricName: 'http_req_duration', expression: 'p(95)<95.4', abortOnFail: false },
  );
});

test('counter count and rate (per second of test run), gauge value, rate rate', () => {
  const registry = registryWithBuiltins();
  add(registry, 'http_reqs', [1, 1, 1, 1]);
  add(registry, 'vus', [3, 9, 5]);
  add(registry, 'http_req_failed', [0, 0, 0, 1]);
  const thresholds = new Thresholds(
    {
      http_reqs: plain('count==4', 'rate==2', 'rate>2'),
      vus: plain('value==5', 'value>5'),
      http_req_failed: plain('rate<0.3', 'rate<0.25'),
    },
    registry,
  );
  assert.deepEqual(thresholds.evaluate(2000).map((r) => [r.ok, r.value]), [
    [true, 4],
    [true, 2],
    [false, 2],
    [true, 5],
    [false, 5],
    [true, 0.25],
    [false, 0.25],
  ]);
});

test('metrics without samples: k6 compares zeros, and lets an empty Rate pass', () => {
  const registry = registryWithBuiltins();
  const thresholds = new Thresholds(
    { http_req_failed: plain('rate>0.5'), http_req_duration: plain('p(95)<200', 'avg>1'), iterations: plain('count>0'), vus: plain('value<1') },
    registry,
  );
  assert.deepEqual(thresholds.evaluate(1000).map((r) => [r.ok, r.value]), [
    [true, undefined],
    [true, 0],
    [false, 0],
    [false, 0],
    [true, 0],
  ]);
});

test('submetric thresholds only see their samples; the threshold creates and observes the submetric', () => {
  const registry = registryWithBuiltins();
  const thresholds = new Thresholds({ 'http_req_duration{name:login}': plain('max<100') }, registry);
  const submetric = registry.get('http_req_duration')!.submetrics.find((s) => s.name === 'http_req_duration{name:login}');
  assert.ok(submetric?.observed && registry.get('http_req_duration')!.observed, 'shown in the summary even without samples');
  add(registry, 'http_req_duration', [50], Object.freeze({ name: 'login' }));
  add(registry, 'http_req_duration', [500], Object.freeze({ name: 'home' }));
  const [result] = thresholds.evaluate(1000);
  assert.deepEqual([result!.ok, result!.value, result!.metricName], [true, 50, 'http_req_duration{name:login}']);
  add(registry, 'http_req_duration', [150], Object.freeze({ name: 'login' }));
  assert.equal(thresholds.evaluate(1000)[0]!.ok, false);
});

test('a threshold on a custom metric defined during init is accepted', () => {
  const registry = registryWithBuiltins();
  registry.define({ name: 'custom_waiting_time', type: 'trend', contains: 'default' });
  const thresholds = new Thresholds({ custom_waiting_time: plain('p(90)<200') }, registry);
  assert.equal(thresholds.evaluate(1000)[0]!.ok, true);
});

test('invalid thresholds are refused before the test with k6’s messages', () => {
  const registry = registryWithBuiltins();
  const refuse = (sources: Record<string, ThresholdSource[]>, message: RegExp) =>
    assert.throws(() => new Thresholds(sources, registry), (error: unknown) => error instanceof ThresholdError && message.test(error.message));
  refuse({ not_a_metric: plain('count>1') }, /^invalid threshold defined on not_a_metric; reason: no metric name "not_a_metric" found$/);
  refuse({ 'nope{a:b}': plain('count>1') }, /no metric name "nope\{a:b\}" found/);
  refuse({ http_req_duration: plain('count<5') }, /^invalid threshold "count<5" applied on metric http_req_duration; reason: unsupported aggregation method count on metric of type trend\. supported aggregation methods for this metric are: avg, min, max, med, p$/);
  refuse({ http_reqs: plain('p(95)<5') }, /supported aggregation methods for this metric are: count, rate$/);
  refuse({ vus: plain('rate<5') }, /on metric of type gauge\. supported aggregation methods for this metric are: value$/);
  refuse({ checks: plain('count>5') }, /of type rate\. supported aggregation methods for this metric are: rate$/);
  refuse({ http_reqs: plain('count<') }, /right hand side/);
  refuse({ 'http_reqs{status:200': plain('count<5') }, /^unable to validate threshold expressions; reason: parsing metric name failed, metric "http_reqs\{status:200" has unmatched/);
  refuse({ not_a_metric: plain('nonsense') }, /malformed threshold expression/, );
});

test('abortDue: only a failing abortOnFail threshold past its delay, and never on a metric without samples', () => {
  const registry = registryWithBuiltins();
  const thresholds = new Thresholds(
    {
      http_req_failed: [source('rate<0.1', true, 10_000)],
      http_req_duration: [source('p(95)<100', false)],
      iterations: [source('count>100', true)],
    },
    registry,
  );
  assert.equal(thresholds.abortDue(60_000), undefined, 'no samples: nothing to judge yet');
  add(registry, 'http_req_duration', [500]);
  assert.equal(thresholds.abortDue(60_000), undefined, 'failing, but not abortOnFail');
  add(registry, 'http_req_failed', [1, 1]);
  assert.equal(thresholds.abortDue(5_000), undefined, 'delayAbortEval not over');
  const due = thresholds.abortDue(10_001);
  assert.deepEqual([due?.metricName, due?.expression, due?.ok], ['http_req_failed', 'rate<0.1', false]);
  add(registry, 'http_req_failed', new Array(100).fill(0));
  assert.equal(thresholds.abortDue(20_000), undefined, 'passing again');
});

test('anyFailed follows the last evaluation', () => {
  const registry = registryWithBuiltins();
  const thresholds = new Thresholds({ iterations: plain('count>=2') }, registry);
  assert.equal(thresholds.anyFailed, false);
  thresholds.evaluate(1000);
  assert.equal(thresholds.anyFailed, true);
  add(registry, 'iterations', [1, 1]);
  thresholds.evaluate(1000);
  assert.equal(thresholds.anyFailed, false);
  assert.equal(new Thresholds({}, registry).isEmpty, true);
});

test('thresholds on the vu or iter tags warn, as in k6', () => {
  const registry = registryWithBuiltins();
  const thresholds = new Thresholds({ 'http_reqs{vu:1}': plain('count>0') }, registry);
  assert.equal(thresholds.warnings.length, 1);
  assert.match(thresholds.warnings[0]!, /'vu' metric tag was made non-indexable/);
  assert.equal(new Thresholds({ 'http_reqs{status:200}': plain('count>0') }, registry).warnings.length, 0);
});
