// shared-iterations runs exactly `iterations` in total, shared among its VUs; per-vu-iterations runs exactly
// `iterations` in each VU; with either, iterations not started by maxDuration are counted in dropped_iterations.
// https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/shared-iterations/
// https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/per-vu-iterations/
// https://grafana.com/docs/k6/latest/using-k6/scenarios/concepts/dropped-iterations/ ("With shared-iterations and
//   per-vu-iterations, iterations drop if the scenario reaches its maxDuration before all iterations finish")
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunResult } from './run-k6-script.ts';

const script = `
import { sleep } from 'k6';
import exec from 'k6/execution';

export const options = {
  scenarios: {
    shared: { executor: 'shared-iterations', vus: 3, iterations: 20 },
    perVu: { executor: 'per-vu-iterations', vus: 3, iterations: 4 },
    sharedCut: { executor: 'shared-iterations', vus: 2, iterations: 100, maxDuration: '1s', exec: 'slow' },
    perVuCut: { executor: 'per-vu-iterations', vus: 2, iterations: 50, maxDuration: '1s', exec: 'slow' },
  },
  // Thresholds that always pass, so that the summary export carries each scenario's submetric.
  thresholds: {
    'iterations{scenario:shared}': ['count>=0'],
    'iterations{scenario:perVu}': ['count>=0'],
    'iterations{scenario:sharedCut}': ['count>=0'],
    'iterations{scenario:perVuCut}': ['count>=0'],
    'dropped_iterations{scenario:sharedCut}': ['count>=0'],
    'dropped_iterations{scenario:perVuCut}': ['count>=0'],
  },
};

export default function () {
  console.log('it scenario=' + exec.scenario.name + ' vu=' + __VU);
  sleep(0.05);
}

export function slow() {
  sleep(0.3);
}
`;

describe('iteration-based executors', () => {
  let run: RunResult;
  after(() => cleanup(run));
  const count = (key: string): number => run.summary?.metrics[key]?.count as number;

  it('runs', async () => {
    run = await runK6(script, { summaryExport: true });
    assert.equal(run.code, 0, explain(run));
  });

  it('shared-iterations: exactly `iterations` in total, spread over more than one VU', () => {
    const lines = logFields(run, 'it').filter((line) => line.scenario === 'shared');
    assert.equal(lines.length, 20);
    assert.equal(count('iterations{scenario:shared}'), 20);
    const vus = new Set(lines.map((line) => line.vu));
    assert.ok(vus.size > 1 && vus.size <= 3, `iterations ran on VUs ${[...vus].join(',')}`);
  });

  it('per-vu-iterations: exactly `iterations` in each of its VUs', () => {
    const lines = logFields(run, 'it').filter((line) => line.scenario === 'perVu');
    assert.equal(count('iterations{scenario:perVu}'), 12);
    const perVu = new Map<string, number>();
    for (const line of lines) perVu.set(line.vu!, (perVu.get(line.vu!) ?? 0) + 1);
    assert.deepEqual([...perVu.values()], [4, 4, 4], JSON.stringify(Object.fromEntries(perVu)));
  });

  it('shared-iterations with maxDuration: stops early; unstarted iterations are dropped, and all add up', () => {
    const done = count('iterations{scenario:sharedCut}');
    const dropped = count('dropped_iterations{scenario:sharedCut}');
    assert.ok(done > 0 && done < 30, `${done} iterations of 0.3 s in 1 s with 2 VUs`);
    assert.equal(done + dropped, 100, `${done} done + ${dropped} dropped`);
  });

  it('per-vu-iterations with maxDuration: the same, over each VU’s share', () => {
    const done = count('iterations{scenario:perVuCut}');
    const dropped = count('dropped_iterations{scenario:perVuCut}');
    assert.ok(done > 0 && done < 30, `${done} iterations of 0.3 s in 1 s with 2 VUs`);
    assert.equal(done + dropped, 100, `${done} done + ${dropped} dropped`);
  });
});
