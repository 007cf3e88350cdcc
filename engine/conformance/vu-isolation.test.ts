// Each VU is its own JavaScript runtime: init code runs once per VU, module-level state belongs to one VU and
// lives across that VU's iterations, and __VU numbers VUs from 1.
// https://grafana.com/docs/k6/latest/using-k6/test-lifecycle/ ("init … Once per VU")
// https://grafana.com/docs/k6/latest/using-k6/execution-context-variables/ (__VU, __ITER)
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunResult } from './run-k6-script.ts';

const vus = 4;
const iterationsPerVu = 5;

const script = `
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

const itersByVu = new Counter('iters_by_vu');
let counter = 0;
globalThis.onGlobal = (globalThis.onGlobal || 0) + 1;
if (__VU > 0) console.log('init vu=' + __VU + ' global=' + globalThis.onGlobal);

export const options = {
  scenarios: { each: { executor: 'per-vu-iterations', vus: ${vus}, iterations: ${iterationsPerVu} } },
  thresholds: {
    'iters_by_vu{vu:1}': ['count==${iterationsPerVu}'],
    'iters_by_vu{vu:${vus}}': ['count==${iterationsPerVu}'],
    // The opposite: a shared counter would put every VU's iterations here.
    'iters_by_vu{vu:2}': ['count==${vus * iterationsPerVu}'],
  },
};

export default function () {
  counter++;
  itersByVu.add(1, { vu: String(__VU) });
  console.log('iter vu=' + __VU + ' iter=' + __ITER + ' counter=' + counter + ' id=' + exec.vu.idInTest);
}
`;

describe('per-VU isolation of module state', () => {
  let run: RunResult;
  after(() => cleanup(run));

  it('runs, with VUs spread over two worker threads', async () => {
    run = await runK6(script, { args: ['--workers', '2'], summaryExport: true });
    // One threshold is written to fail (see the script), so 99 is the exit of a correct engine.
    assert.equal(run.code, 99, explain(run));
  });

  it('runs init code once for each VU, each in a fresh global scope', () => {
    const inits = logFields(run, 'init');
    assert.deepEqual(inits.map((line) => Number(line.vu)).sort(), Array.from({ length: vus }, (_, i) => i + 1));
    for (const line of inits) assert.equal(line.global, '1', `VU ${line.vu} saw another VU's global: ${JSON.stringify(inits)}`);
  });

  it('gives __VU values 1..N, and exec.vu.idInTest the same number', () => {
    const iters = logFields(run, 'iter');
    assert.deepEqual([...new Set(iters.map((line) => Number(line.vu)))].sort(), Array.from({ length: vus }, (_, i) => i + 1));
    for (const line of iters) assert.equal(line.id, line.vu);
  });

  it('keeps a module-level counter per VU: it counts that VU’s iterations only, across its iterations', () => {
    const iters = logFields(run, 'iter');
    assert.equal(iters.length, vus * iterationsPerVu);
    for (let vu = 1; vu <= vus; vu++) {
      const mine = iters.filter((line) => Number(line.vu) === vu);
      assert.deepEqual(mine.map((line) => Number(line.counter)), [1, 2, 3, 4, 5], `VU ${vu}: ${JSON.stringify(mine)}`);
      assert.deepEqual(mine.map((line) => Number(line.iter)), [0, 1, 2, 3, 4]);
    }
  });

  it('tags a custom metric per VU: each VU’s submetric counts only its own iterations', () => {
    const thresholds = { ...run.summary?.metrics['iters_by_vu{vu:1}']?.thresholds, ...run.summary?.metrics[`iters_by_vu{vu:${vus}}`]?.thresholds };
    assert.deepEqual(thresholds, { [`count==${iterationsPerVu}`]: false }, explain(run));
    assert.deepEqual(run.summary?.metrics['iters_by_vu{vu:2}']?.thresholds, { [`count==${vus * iterationsPerVu}`]: true });
  });
});
