import assert from 'node:assert/strict';
import { test } from 'node:test';
import { standaloneVu } from '../runtime/vu-fixture.ts';
import { builtinMetrics, defineBuiltinMetrics } from './builtin-metrics.ts';
import { MetricsRegistry } from './registry.ts';
import type { TrendSink } from './sinks.ts';

function feed(registry: MetricsRegistry, emit: (vu: ReturnType<typeof standaloneVu>['vu']) => void): void {
  const { vu, sink } = standaloneVu();
  emit(vu);
  for (const sample of sink.samples) registry.add(sample);
}

test('the built-in metrics are defined with k6’s types and value types', () => {
  const registry = new MetricsRegistry();
  defineBuiltinMetrics(registry, ['expected_response']);
  const byName = new Map(registry.all().map((metric) => [metric.name, metric]));
  assert.equal(byName.get('vus')?.type, 'gauge');
  assert.equal(byName.get('iterations')?.type, 'counter');
  assert.deepEqual([byName.get('iteration_duration')?.type, byName.get('iteration_duration')?.contains], ['trend', 'time']);
  assert.deepEqual([byName.get('data_received')?.type, byName.get('data_received')?.contains], ['counter', 'data']);
  assert.equal(byName.get('http_req_failed')?.type, 'rate');
  assert.equal(byName.get('checks')?.type, 'rate');
  assert.deepEqual([byName.get('ws_ping')?.type, byName.get('ws_ping')?.contains], ['trend', 'time']);
  assert.equal(byName.get('ws_msgs_sent')?.type, 'counter');
  assert.equal(builtinMetrics().length, registry.all().length);
  assert.deepEqual(byName.get('http_req_duration')?.submetrics.map((s) => s.name), ['http_req_duration{expected_response:true}']);
  assert.equal(registry.observed().length, 0, 'nothing is observed before a sample');

  const without = new MetricsRegistry();
  defineBuiltinMetrics(without, []);
  assert.equal(without.get('http_req_duration')?.submetrics.length, 0, 'no expected_response submetric when the tag is off');
});

test('samples from a real VU reach their metric and the submetrics whose tags they carry', () => {
  const registry = new MetricsRegistry();
  defineBuiltinMetrics(registry, ['expected_response']);
  const byStatus = registry.submetric('http_req_duration{status:200}');
  const byStatusAndName = registry.submetric('http_req_duration{ status: "200", name: login }');
  feed(registry, (vu) => {
    const duration = vu.metric('http_req_duration', 'trend', 'time');
    vu.emit(duration, 10, Object.freeze({ status: '200', name: 'login', expected_response: 'true' }));
    vu.emit(duration, 20, Object.freeze({ status: '200', name: 'home', expected_response: 'true' }));
    vu.emit(duration, 30, Object.freeze({ status: '500', name: 'login', expected_response: 'false' }));
    vu.emit(duration, 40, Object.freeze({ status: '200', name: 'login', expected_response: 'true' }));
  });
  const parent = registry.get('http_req_duration')!;
  assert.equal((parent.sink as TrendSink).count, 4);
  assert.equal((byStatus.sink as TrendSink).count, 3);
  assert.equal((byStatus.sink as TrendSink).sum, 70);
  assert.equal((byStatusAndName.sink as TrendSink).sum, 50);
  assert.equal(byStatusAndName.name, 'http_req_duration{status: "200", name: login}');
  const expected = parent.submetrics.find((s) => s.suffix === 'expected_response:true')!;
  assert.equal((expected.sink as TrendSink).sum, 70);
  assert.ok(parent.observed && byStatus.observed && expected.observed);
  assert.equal(registry.get('http_reqs')!.observed, false, 'a metric without samples is not observed');
  assert.deepEqual(
    registry.observed().map((m) => m.name),
    ['http_req_duration', 'http_req_duration{expected_response:true}', 'http_req_duration{status:200}', 'http_req_duration{status: "200", name: login}'],
  );
});

test('a custom metric a worker defined is registered from its first sample', () => {
  const registry = new MetricsRegistry();
  feed(registry, (vu) => {
    const waiting = vu.metric('custom_waiting_time', 'trend');
    vu.emit(waiting, 5, Object.freeze({}));
    vu.emit(waiting, 7, Object.freeze({}));
  });
  const metric = registry.get('custom_waiting_time');
  assert.deepEqual([metric?.type, metric?.contains, metric?.observed], ['trend', 'default', true]);
  assert.equal((metric!.sink as TrendSink).avg, 6);
});

test('two keys with the same tags name one submetric', () => {
  const registry = new MetricsRegistry();
  defineBuiltinMetrics(registry, []);
  const first = registry.submetric('http_reqs{status:200,method:GET}');
  assert.equal(registry.submetric(`http_reqs{method: 'GET', status: 200}`), first);
  assert.notEqual(registry.submetric('http_reqs{status:200}'), first);
});

test('a metric redefined with another type or value type is refused; an invalid name is refused', () => {
  const registry = new MetricsRegistry();
  registry.define({ name: 'my_trend', type: 'trend', contains: 'time' });
  assert.equal(registry.define({ name: 'my_trend', type: 'trend', contains: 'time' }), registry.get('my_trend'));
  assert.throws(() => registry.define({ name: 'my_trend', type: 'counter', contains: 'time' }), /metric 'my_trend' already exists but with type trend, instead of counter/);
  assert.throws(() => registry.define({ name: 'my_trend', type: 'trend', contains: 'default' }), /with a value type time, instead of default/);
  assert.throws(() => registry.define({ name: '1abc', type: 'trend', contains: 'time' }), /Invalid metric name: '1abc'/);
  assert.throws(() => registry.submetric('nope{a:b}'), /metric 'nope' does not exist in the script/);
  assert.throws(() => registry.submetric('my_trend'), /not a submetric key/);
});
