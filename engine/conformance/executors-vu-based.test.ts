// constant-vus: a fixed number of VUs iterate for `duration`; ramping-vus: the VU count follows the stages;
// gracefulStop: an iteration still running at duration + gracefulStop is interrupted, and not counted in
// `iterations`, while one that ends inside the grace period is.
// https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/constant-vus/
// https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/ramping-vus/
// https://grafana.com/docs/k6/latest/using-k6/scenarios/concepts/graceful-stop/
// That an interrupted iteration is left out of `iterations` is k6's observable behaviour (it emits the iteration
// samples only for a full iteration): the docs only call such iterations "interrupted".
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunResult } from './run-k6-script.ts';

const sampleLine = `console.log('tick scenario=' + exec.scenario.name + ' vu=' + __VU + ' at=' + Math.round(exec.instance.currentTestRunDuration) + ' active=' + exec.instance.vusActive);`;

describe('constant-vus', () => {
  let run: RunResult;
  after(() => cleanup(run));

  it('runs its VUs, all of them, for the duration and no longer', async () => {
    run = await runK6(`
      import { sleep } from 'k6';
      import exec from 'k6/execution';
      export const options = { scenarios: { steady: { executor: 'constant-vus', vus: 3, duration: '2s' } } };
      export default function () { ${sampleLine} sleep(0.2); }
    `, { summaryExport: true, jsonOut: true });
    assert.equal(run.code, 0, explain(run));
    const ticks = logFields(run, 'tick');
    assert.deepEqual([...new Set(ticks.map((t) => t.vu))].sort(), ['1', '2', '3']);
    for (const tick of ticks) assert.ok(Number(tick.at) < 2000, `an iteration started at ${tick.at} ms of a 2 s scenario`);
    assert.ok(ticks.some((tick) => Number(tick.at) >= 1500), 'no iteration started in the last half second');
    const iterations = run.summary?.metrics.iterations?.count as number;
    assert.ok(iterations >= 9 && iterations <= 33, `${iterations} iterations: 3 VUs × 2 s / 0.2 s ≈ 30`);
    const vusPoints = run.points.filter((p) => p.metric === 'vus').map((p) => p.value);
    assert.ok(vusPoints.length > 0, 'no `vus` points');
    assert.equal(Math.max(...vusPoints), 3);
  });
});

describe('ramping-vus', () => {
  let run: RunResult;
  let ticks: { at: number; active: number; vu: string }[];
  after(() => cleanup(run));
  const within = (from: number, to: number) => ticks.filter((t) => t.at >= from && t.at < to);
  const vusIn = (from: number, to: number) => new Set(within(from, to).map((t) => t.vu)).size;

  it('runs stages up to 4 VUs over 2 s, 4 for 1 s, down to 0 over 1 s', async () => {
    run = await runK6(`
      import { sleep } from 'k6';
      import exec from 'k6/execution';
      export const options = {
        scenarios: {
          ramp: {
            executor: 'ramping-vus',
            startVUs: 0,
            stages: [{ duration: '2s', target: 4 }, { duration: '1s', target: 4 }, { duration: '1s', target: 0 }],
            gracefulRampDown: '0s',
          },
        },
      };
      export default function () { ${sampleLine} sleep(0.1); }
    `, { jsonOut: true });
    assert.equal(run.code, 0, explain(run));
    ticks = logFields(run, 'tick').map((t) => ({ at: Number(t.at), active: Number(t.active), vu: t.vu! }));
  });

  it('has as many VUs iterating as the stages say, over time (__VU seen in each window)', () => {
    assert.equal(new Set(ticks.map((t) => t.vu)).size, 4);
    assert.ok(vusIn(0, 800) <= 2, `${vusIn(0, 800)} VUs iterated in the first 0.8 s, ramping from 0 to 4 over 2 s`);
    assert.equal(vusIn(2200, 2900), 4, 'the plateau of 4 VUs');
    assert.ok(vusIn(3700, 5000) <= 2, `${vusIn(3700, 5000)} VUs iterated after 3.7 s, ramping from 4 to 0 over 3–4 s`);
    assert.ok(Math.max(...ticks.map((t) => t.at)) < 4200, 'iterations went on after the last stage');
    const vusPoints = run.points.filter((p) => p.metric === 'vus').map((p) => p.value);
    assert.equal(Math.max(...vusPoints), 4);
  });

  it('reports the active VUs in exec.instance.vusActive, the running VU included', () => {
    for (const t of ticks) assert.ok(t.active >= 1, `vusActive ${t.active} read inside an iteration of VU ${t.vu} at ${t.at} ms`);
    for (const t of within(0, 800)) assert.ok(t.active <= 2, `${t.active} VUs active at ${t.at} ms, ramping from 0 to 4 over 2 s`);
    for (const t of within(2200, 2900)) assert.equal(t.active, 4, `${t.active} VUs active at ${t.at} ms, on the plateau of 4`);
    for (const t of within(3700, 5000)) assert.ok(t.active <= 2, `${t.active} VUs active at ${t.at} ms, ramping from 4 to 0 over 3–4 s`);
  });
});

describe('gracefulStop', () => {
  let run: RunResult;
  after(() => cleanup(run));

  it('interrupts an iteration still running at duration + gracefulStop and does not count it', async () => {
    run = await runK6(`
      import { sleep } from 'k6';
      export const options = {
        scenarios: {
          cut: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '500ms', exec: 'long' },
          graced: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '5s', exec: 'medium' },
        },
        thresholds: { 'iterations{scenario:cut}': ['count>=0'], 'iterations{scenario:graced}': ['count>=0'] },
      };
      export function long() { sleep(3); console.log('long finished'); }
      export function medium() { sleep(1.5); console.log('medium finished'); }
    `, { summaryExport: true });
    assert.equal(run.code, 0, explain(run));
    assert.ok(!run.logs.includes('long finished'), 'the iteration went on past duration + gracefulStop');
    assert.equal(run.summary?.metrics['iterations{scenario:cut}']?.count ?? 0, 0);
    assert.ok(run.logs.includes('medium finished'), 'an iteration ending within gracefulStop was cut');
    assert.equal(run.summary?.metrics['iterations{scenario:graced}']?.count, 1);
  });
});
