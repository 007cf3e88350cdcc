// setup() runs once; what it returns reaches default(data) in every VU and teardown(data) as a fresh JSON copy
// ("You can pass only data (i.e. JSON) … You cannot pass functions", "each stage and each VU has access to a
// fresh copy"); __VU is 0 in setup and teardown; a setup that throws stops the test and skips teardown.
// https://grafana.com/docs/k6/latest/using-k6/test-lifecycle/
// https://grafana.com/docs/k6/latest/using-k6/execution-context-variables/ ("__VU … is 0 when executing the setup and teardown functions")
// https://grafana.com/docs/k6/latest/javascript-api/k6-execution/ (test.abort: exit code 108)
// Exit code 107 for a setup exception is k6's ScriptException (errext/exitcodes in k6's source): the docs list no code for it.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunResult } from './run-k6-script.ts';

const dataScript = `
import { sleep } from 'k6';

export const options = {
  scenarios: { each: { executor: 'per-vu-iterations', vus: 3, iterations: 3 } },
};

export function setup() {
  console.log('setup vu=' + __VU);
  return { n: 1, list: [1, 2], nested: { word: 'x' }, fn: function () { return 1; }, when: new Date(0) };
}

export default function (data) {
  console.log('seen vu=' + __VU + ' n=' + data.n + ' list=' + data.list.join(',') + ' word=' + data.nested.word +
    ' fn=' + typeof data.fn + ' when=' + typeof data.when);
  if (__VU === 1) {
    data.n = 100;
    data.list.push(99);
    data.nested.word = 'mutated';
  }
  sleep(0.05);
}

export function teardown(data) {
  console.log('teardown vu=' + __VU + ' n=' + data.n + ' list=' + data.list.join(',') + ' word=' + data.nested.word +
    ' fn=' + typeof data.fn + ' when=' + data.when);
}
`;

describe('setup() data', () => {
  let run: RunResult;
  let thrown: RunResult;
  let aborted: RunResult;
  after(() => cleanup(run, thrown, aborted));

  it('runs setup, the VUs and teardown with exit 0', async () => {
    run = await runK6(dataScript);
    assert.equal(run.code, 0, explain(run));
  });

  it('runs setup and teardown once each, with __VU 0', () => {
    assert.deepEqual(logFields(run, 'setup'), [{ vu: '0' }]);
    const teardown = logFields(run, 'teardown');
    assert.equal(teardown.length, 1, explain(run));
    assert.equal(teardown[0]?.vu, '0');
  });

  it('hands every VU the returned data as JSON: values kept, functions dropped, a Date turned into its string', () => {
    const seen = logFields(run, 'seen');
    assert.equal(seen.length, 9, explain(run));
    assert.deepEqual([...new Set(seen.map((line) => line.vu))].sort(), ['1', '2', '3']);
    for (const line of seen) {
      assert.equal(line.fn, 'undefined', `a function crossed from setup: ${JSON.stringify(line)}`);
      assert.equal(line.when, 'string');
    }
  });

  it('keeps one VU’s mutations away from the other VUs', () => {
    const others = logFields(run, 'seen').filter((line) => line.vu !== '1');
    assert.equal(others.length, 6);
    for (const line of others) assert.deepEqual({ n: line.n, list: line.list, word: line.word }, { n: '1', list: '1,2', word: 'x' });
  });

  it('hands teardown the data setup returned, not what a VU made of it', () => {
    const [teardown] = logFields(run, 'teardown');
    assert.deepEqual(teardown, { vu: '0', n: '1', list: '1,2', word: 'x', fn: 'undefined', when: '1970-01-01T00:00:00.000Z' });
  });

  it('stops with exit 107 when setup throws, before any iteration and without teardown', async () => {
    thrown = await runK6(`
      export function setup() { throw new Error('setup went wrong'); }
      export default function () { console.log('iteration'); }
      export function teardown() { console.log('teardown'); }
    `);
    assert.equal(thrown.code, 107, explain(thrown));
    assert.match(thrown.stderr, /setup went wrong/);
    assert.ok(!thrown.logs.includes('iteration'), explain(thrown));
    assert.ok(!thrown.logs.includes('teardown'), explain(thrown));
  });

  it('stops with exit 108 when setup calls test.abort(), before any iteration', async () => {
    aborted = await runK6(`
      import exec from 'k6/execution';
      export function setup() { exec.test.abort('no data'); }
      export default function () { console.log('iteration'); }
    `);
    assert.equal(aborted.code, 108, explain(aborted));
    assert.match(aborted.stderr, /no data/);
    assert.ok(!aborted.logs.includes('iteration'), explain(aborted));
  });
});
