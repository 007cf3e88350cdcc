// Threshold grammar `<aggregation> <operator> <value>` with each metric type's aggregations (Counter: count, rate;
// Gauge: value; Rate: rate; Trend: avg, min, max, med, p(N) with N a decimal), submetric keys `metric{tag:value}`,
// pass and fail; a bad threshold stops the test before it runs.
// https://grafana.com/docs/k6/latest/using-k6/thresholds/
// Where the docs are silent, k6's source decides: the operators (> >= <= < == === !=, metrics/thresholds_parser.go),
// the percentile (linear interpolation between the sorted values at pct·(n−1), metrics/sink.go), and exit 104
// (InvalidConfig) for a threshold that does not parse or does not fit its metric.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, runK6, type RunResult } from './run-k6-script.ts';

/** expression → whether it must pass, per threshold key. */
const cases: Record<string, Record<string, boolean>> = {
  counter: { 'count==5': true, 'count===5': true, 'count>=5': true, 'count<=5': true, 'count==4': false, 'count<5': false, 'count!=5': false, 'rate>0': true, 'rate<0': false },
  gauge: { 'value==5': true, 'value==7': false, 'value>5': false, 'value != 3': true },
  ratio: { 'rate==0.75': true, 'rate>=0.75': true, 'rate>0.75': false, 'rate<0.5': false },
  spread: {
    'avg==50': true,
    'min==0': true,
    'max==100': true,
    'med==50': true,
    'max<100': false,
    'med<50': false,
    'avg>50': false,
    // k6's p(95) of 0,10,…,100 is 90 + 0.5·(100−90) = 95 exactly: `<` fails on the edge and `<=` passes.
    'p(95)<95': false,
    'p(95)<=95': true,
    'p(95) <= 95': true,
    'p(95)>95': false,
    'p(99.9)>99.8': true,
    'p(99.9)<99.8': false,
    'p(0)==0': true,
    'p(100)==100': true,
  },
  'tagged{kind:a}': { 'count==2': true, 'count==7': false },
  'tagged{kind:b}': { 'count==5': true, 'count==2': false },
  tagged: { 'count==7': true, 'count==2': false },
};

function scriptWith(thresholds: Record<string, string[]>): string {
  return `
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';

const counter = new Counter('counter');
const gauge = new Gauge('gauge');
const ratio = new Rate('ratio');
const spread = new Trend('spread');
const tagged = new Counter('tagged');

export const options = { iterations: 1, thresholds: ${JSON.stringify(thresholds)} };

export default function () {
  counter.add(1); counter.add(1); counter.add(1); counter.add(2);
  gauge.add(3); gauge.add(7); gauge.add(5);
  ratio.add(true); ratio.add(1); ratio.add(true); ratio.add(false);
  for (const value of [70, 0, 100, 30, 50, 90, 10, 60, 40, 80, 20]) spread.add(value);
  tagged.add(1, { kind: 'a' }); tagged.add(1, { kind: 'a' });
  for (let i = 0; i < 5; i++) tagged.add(1, { kind: 'b' });
}
`;
}

/** k6's percentile (metrics/sink.go): linear interpolation at pct·(n−1) over the sorted values. */
function k6Percentile(values: number[], pct: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = pct * (sorted.length - 1);
  const low = sorted[Math.floor(i)]!;
  const high = sorted[Math.ceil(i)]!;
  return low + (high - low) * (i - Math.floor(i));
}

describe('threshold expressions', () => {
  let mixed: RunResult;
  let passing: RunResult;
  after(() => cleanup(mixed, passing));

  it('evaluates every aggregation and operator: exit 99 when any fails', async () => {
    const thresholds = Object.fromEntries(Object.entries(cases).map(([key, expressions]) => [key, Object.keys(expressions)]));
    mixed = await runK6(scriptWith(thresholds), { summaryExport: true });
    assert.equal(mixed.code, 99, explain(mixed));
    const failures: string[] = [];
    for (const [key, expressions] of Object.entries(cases)) {
      const results = mixed.summary?.metrics[key]?.thresholds;
      for (const [expression, passes] of Object.entries(expressions)) {
        // The legacy export maps each threshold to true when it FAILED.
        if (results?.[expression] !== !passes) failures.push(`${key}: '${expression}' should ${passes ? 'pass' : 'fail'} (export: ${JSON.stringify(results?.[expression])})`);
      }
    }
    assert.deepEqual(failures, [], explain(mixed));
  });

  it('computes the trend’s percentiles the way k6 does (linear interpolation)', () => {
    const values = [70, 0, 100, 30, 50, 90, 10, 60, 40, 80, 20];
    const spread = mixed.summary?.metrics.spread;
    assert.equal(spread?.['p(95)'], k6Percentile(values, 0.95));
    assert.equal(spread?.['p(95)'], 95);
    assert.equal(spread?.['p(90)'], k6Percentile(values, 0.9));
    assert.equal(spread?.med, 50);
    assert.equal(spread?.avg, 50);
  });

  it('exits 0 when the same metrics meet only passing thresholds', async () => {
    const thresholds = Object.fromEntries(Object.entries(cases).map(([key, expressions]) => [key, Object.keys(expressions).filter((e) => expressions[e])]));
    passing = await runK6(scriptWith(thresholds), { summaryExport: true });
    assert.equal(passing.code, 0, explain(passing));
    for (const [key, expressions] of Object.entries(passing.summary?.metrics ?? {})) {
      for (const [expression, failed] of Object.entries(expressions.thresholds ?? {})) assert.equal(failed, false, `${key}: ${expression}`);
    }
  });
});

describe('invalid thresholds stop the test before it runs (exit 104)', () => {
  const results: RunResult[] = [];
  after(() => cleanup(...results));

  const invalid: Record<string, Record<string, string[]>> = {
    'an unknown metric': { no_such_metric: ['count>0'] },
    'an expression that does not parse': { iterations: ['count >> 1'] },
    'an unknown aggregation': { iterations: ['total>1'] },
    'an aggregation the metric type lacks (p(95) on a Rate)': { ratio: ['p(95)<1'] },
    'an aggregation the metric type lacks (avg on a Counter)': { iterations: ['avg<1'] },
    // The docs' "A percentile value outside the 0 to 100 range … fails parsing" (the latest docs; k6 v1 had no such check).
    'a percentile above 100': { spread: ['p(101)<1'] },
  };

  for (const [what, thresholds] of Object.entries(invalid)) {
    it(`rejects ${what}`, async () => {
      const run = await runK6(`
        import { Rate, Trend } from 'k6/metrics';
        const ratio = new Rate('ratio');
        const spread = new Trend('spread');
        export const options = { iterations: 1, thresholds: ${JSON.stringify(thresholds)} };
        export function setup() { console.log('setup ran'); }
        export default function () { console.log('iteration ran'); ratio.add(true); spread.add(1); }
      `);
      results.push(run);
      assert.equal(run.code, 104, explain(run));
      assert.ok(!run.logs.includes('setup ran') && !run.logs.includes('iteration ran'), explain(run));
    });
  }
});
