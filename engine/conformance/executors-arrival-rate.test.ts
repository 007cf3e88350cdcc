// The arrival-rate executors start iterations at a rate, independent of how long each iteration takes (the open
// model); an iteration that finds no free VU is dropped and counted in dropped_iterations.
// https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/constant-arrival-rate/
// https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/ramping-arrival-rate/
// https://grafana.com/docs/k6/latest/using-k6/scenarios/concepts/open-vs-closed/
// https://grafana.com/docs/k6/latest/using-k6/scenarios/concepts/dropped-iterations/
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunResult } from './run-k6-script.ts';

describe('constant-arrival-rate', () => {
  let run: RunResult;
  after(() => cleanup(run));
  const count = (key: string): number => (run.summary?.metrics[key]?.count as number | undefined) ?? 0;

  it('starts rate × duration iterations even when each takes longer than the interval; drops what no VU can take', async () => {
    run = await runK6(`
      import { sleep } from 'k6';
      export const options = {
        scenarios: {
          // 10/s for 3 s with 1 s iterations: ~10 VUs busy at once, 20 allocated.
          open: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '3s', preAllocatedVUs: 20 },
          // 10/s for 2 s, but 2 VUs that each take 1 s per iteration can start only about 2 a second.
          starved: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '2s', preAllocatedVUs: 2, maxVUs: 2 },
        },
        thresholds: {
          'iterations{scenario:open}': ['count>=0'],
          'iterations{scenario:starved}': ['count>=0'],
          'dropped_iterations{scenario:open}': ['count>=0'],
          'dropped_iterations{scenario:starved}': ['count>=0'],
        },
      };
      export default function () { sleep(1); }
    `, { summaryExport: true });
    assert.equal(run.code, 0, explain(run));
  });

  it('open model: 10/s × 3 s = 30 iterations with 1 s each, none dropped', () => {
    assert.equal(count('iterations{scenario:open}'), 30, explain(run));
    assert.equal(count('dropped_iterations{scenario:open}'), 0);
  });

  it('too few VUs: the iterations that found no free VU are dropped, and started + dropped = rate × duration', () => {
    const started = count('iterations{scenario:starved}');
    const dropped = count('dropped_iterations{scenario:starved}');
    assert.ok(started <= 8, `${started} iterations of 1 s on 2 VUs in 2 s`);
    assert.equal(started + dropped, 20, `${started} started + ${dropped} dropped`);
  });
});

describe('ramping-arrival-rate', () => {
  let run: RunResult;
  after(() => cleanup(run));

  it('starts iterations at a rate that follows its stages', async () => {
    run = await runK6(`
      import { sleep } from 'k6';
      import exec from 'k6/execution';
      export const options = {
        scenarios: {
          ramp: {
            executor: 'ramping-arrival-rate',
            startRate: 0,
            timeUnit: '1s',
            preAllocatedVUs: 20,
            stages: [{ target: 20, duration: '2s' }, { target: 20, duration: '1s' }],
          },
        },
      };
      export default function () {
        console.log('start at=' + Math.round(Date.now() - exec.scenario.startTime));
        sleep(0.5);
      }
    `, { summaryExport: true });
    assert.equal(run.code, 0, explain(run));
    // 0→20/s over 2 s starts 20, then 20/s for 1 s starts 20 more.
    const iterations = run.summary?.metrics.iterations?.count as number;
    assert.ok(iterations >= 38 && iterations <= 41, `${iterations} iterations, 40 planned`);
    assert.equal(run.summary?.metrics.dropped_iterations?.count ?? 0, 0);
    const starts = logFields(run, 'start').map((line) => Number(line.at));
    const inSecond = (n: number) => starts.filter((at) => at >= n * 1000 && at < (n + 1) * 1000).length;
    // The rate climbs through 0–10/s in the first second and 10–20/s in the second: ~5 then ~15 starts.
    assert.ok(inSecond(0) < inSecond(1), `starts per second: ${inSecond(0)}, ${inSecond(1)}, ${inSecond(2)}`);
    assert.ok(inSecond(0) <= 8, `${inSecond(0)} starts in the first second`);
  });
});
