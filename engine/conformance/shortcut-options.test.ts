// The execution shortcuts: `vus` + `duration` is one constant-vus scenario, `vus` + `iterations` one
// shared-iterations scenario, `stages` one ramping-vus scenario; options come from defaults < script < environment
// (K6_*) < command-line flags.
// https://grafana.com/docs/k6/latest/using-k6/k6-options/reference/ (duration, iterations, stages, vus)
// https://grafana.com/docs/k6/latest/using-k6/k6-options/how-to/#order-of-precedence
// Where the docs are silent, k6's behaviour (lib/options.go Apply, lib/executor/execution_config_shortcuts.go):
// a tier that sets any of duration, iterations, stages or scenarios replaces all four from the tiers below it;
// two of them in the same tier is a config error (exit 104); in k6 v1 `vus` alone is ignored with a warning (k6 v2.1
// changed that to `vus` iterations shared by `vus` VUs; this engine follows v1).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunOptions, type RunResult } from './run-k6-script.ts';

function scriptWith(options: string): string {
  return `
import { sleep } from 'k6';
import exec from 'k6/execution';
export const options = ${options};
export default function () {
  console.log('it executor=' + exec.scenario.executor + ' scenario=' + exec.scenario.name + ' vu=' + __VU);
  sleep(0.1);
}
export function other() { console.log('other ran'); }
`;
}

describe('execution shortcuts and their precedence', () => {
  const results: RunResult[] = [];
  after(() => cleanup(...results));
  const run = async (options: string, runOptions: RunOptions = {}) => {
    const result = await runK6(scriptWith(options), runOptions);
    results.push(result);
    return { result, its: logFields(result, 'it') };
  };
  const executors = (its: Record<string, string>[]) => [...new Set(its.map((it) => it.executor))];

  it('-d on the command line replaces the script’s iterations: constant-vus for the duration', async () => {
    const { result, its } = await run(`{ vus: 1, iterations: 3 }`, { args: ['-d', '1s'] });
    assert.equal(result.code, 0, explain(result));
    assert.deepEqual(executors(its), ['constant-vus']);
    assert.ok(its.length > 3, `${its.length} iterations: the script's iterations: 3 was kept`);
  });

  it('-i on the command line replaces the script’s stages: shared-iterations', async () => {
    const { result, its } = await run(`{ stages: [{ duration: '5s', target: 2 }] }`, { args: ['-i', '2'] });
    assert.equal(result.code, 0, explain(result));
    assert.deepEqual(executors(its), ['shared-iterations']);
    assert.equal(its.length, 2);
  });

  it('-u and -d on the command line replace the script’s scenarios with the default scenario', async () => {
    const { result, its } = await run(`{ scenarios: { mine: { executor: 'per-vu-iterations', vus: 1, iterations: 1, exec: 'other' } } }`, { args: ['-u', '2', '-d', '1s'] });
    assert.equal(result.code, 0, explain(result));
    assert.ok(!result.logs.includes('other ran'), 'the script’s scenario still ran');
    assert.deepEqual(executors(its), ['constant-vus']);
    assert.deepEqual([...new Set(its.map((it) => it.scenario))], ['default']);
    assert.deepEqual([...new Set(its.map((it) => it.vu))].sort(), ['1', '2']);
  });

  it('-u replaces the script’s vus and keeps its iterations', async () => {
    const { result, its } = await run(`{ vus: 1, iterations: 6 }`, { args: ['-u', '3'] });
    assert.equal(result.code, 0, explain(result));
    assert.equal(its.length, 6);
    assert.equal(new Set(its.map((it) => it.vu)).size, 3);
  });

  it('-s stages on the command line: ramping-vus', async () => {
    const { result, its } = await run(`{ iterations: 5 }`, { args: ['-s', '1s:2', '-s', '500ms:0'] });
    assert.equal(result.code, 0, explain(result));
    assert.deepEqual(executors(its), ['ramping-vus']);
  });

  it('K6_ITERATIONS overrides the script, and -i overrides K6_ITERATIONS', async () => {
    const fromEnv = await run(`{ iterations: 2 }`, { env: { K6_ITERATIONS: '4' } });
    assert.equal(fromEnv.result.code, 0, explain(fromEnv.result));
    assert.equal(fromEnv.its.length, 4);
    const fromFlag = await run(`{ iterations: 2 }`, { env: { K6_ITERATIONS: '4' }, args: ['-i', '5'] });
    assert.equal(fromFlag.result.code, 0, explain(fromFlag.result));
    assert.equal(fromFlag.its.length, 5);
  });

  it('vus alone (k6 v1): ignored with a warning that names it; 1 iteration on 1 VU', async () => {
    const { result, its } = await run(`{ vus: 3 }`);
    assert.equal(result.code, 0, explain(result));
    assert.equal(its.length, 1);
    assert.ok(result.logLines.some((line) => line.level === 'warning' && line.msg.includes('vus=3')), explain(result));
  });

  it('iterations and stages in the same tier: exit 104 before any iteration', async () => {
    const { result, its } = await run(`{ iterations: 3, stages: [{ duration: '1s', target: 1 }] }`);
    assert.equal(result.code, 104, explain(result));
    assert.equal(its.length, 0);
  });
});
