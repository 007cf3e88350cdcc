// The common scenario options: `exec` names the exported function a scenario runs, `env` adds environment
// variables for that scenario only, `tags` tags its samples, and `startTime` delays its start.
// https://grafana.com/docs/k6/latest/using-k6/scenarios/#options
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunResult } from './run-k6-script.ts';

const script = `
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

const calls = new Counter('calls');

export const options = {
  scenarios: {
    first: { executor: 'per-vu-iterations', vus: 1, iterations: 2, exec: 'alpha', env: { WHO: 'first' }, tags: { team: 'red' } },
    later: { executor: 'per-vu-iterations', vus: 1, iterations: 1, exec: 'beta', startTime: '1500ms', env: { WHO: 'later' }, tags: { team: 'blue' } },
  },
};

function report(fn) {
  calls.add(1);
  console.log('ran fn=' + fn + ' scenario=' + exec.scenario.name + ' who=' + __ENV.WHO + ' global=' + __ENV.GLOBAL +
    ' at=' + Math.round(exec.instance.currentTestRunDuration));
}

export default function () { console.log('default ran'); }
export function alpha() { report('alpha'); }
export function beta() { report('beta'); }
`;

describe('scenario options', () => {
  let run: RunResult;
  after(() => cleanup(run));
  const ran = () => logFields(run, 'ran');

  it('runs', async () => {
    run = await runK6(script, { args: ['-e', 'GLOBAL=g'], jsonOut: true });
    assert.equal(run.code, 0, explain(run));
  });

  it('exec: each scenario runs its named function, and default is not run', () => {
    assert.deepEqual(ran().map((line) => `${line.scenario}:${line.fn}`).sort(), ['first:alpha', 'first:alpha', 'later:beta']);
    assert.ok(!run.logs.includes('default ran'));
  });

  it('env: a scenario sees its own variables on top of the global ones', () => {
    for (const line of ran()) {
      assert.equal(line.who, line.scenario, JSON.stringify(line));
      assert.equal(line.global, 'g');
    }
  });

  it('startTime: the delayed scenario starts no sooner than its startTime, the other at once', () => {
    const later = ran().filter((line) => line.scenario === 'later');
    const first = ran().filter((line) => line.scenario === 'first');
    assert.ok(Number(later[0]?.at) >= 1500, `the scenario with startTime 1500ms started at ${later[0]?.at} ms`);
    assert.ok(Number(first[0]?.at) < 1500, `the scenario without startTime started at ${first[0]?.at} ms`);
  });

  it('tags: each scenario’s samples carry its tags, and its name in the `scenario` tag', () => {
    for (const metric of ['calls', 'iterations']) {
      const points = run.points.filter((p) => p.metric === metric);
      assert.equal(points.length, 3, `${metric}: ${JSON.stringify(points)}`);
      for (const point of points) {
        const expected = point.tags.scenario === 'first' ? 'red' : 'blue';
        assert.equal(point.tags.team, expected, `${metric} point tags ${JSON.stringify(point.tags)}`);
      }
      assert.deepEqual(points.map((p) => p.tags.scenario).sort(), ['first', 'first', 'later']);
    }
  });
});
