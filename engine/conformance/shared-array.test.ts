// SharedArray: "The function executes only once, and its result is saved in memory once"; every VU reads it
// (length, index, for-of); "Once constructed, a SharedArray is read-only"; constructing one outside the init context
// throws "new SharedArray must be called in the init context".
// https://grafana.com/docs/k6/latest/javascript-api/k6-data/sharedarray/
// That writing an element throws a TypeError, and that elements are frozen copies, is k6's observable behaviour
// (js/modules/k6/data/share.go): the docs only say read-only.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunResult } from './run-k6-script.ts';

const vus = 4;

const script = `
import { SharedArray } from 'k6/data';

const users = new SharedArray('users', function () {
  console.log('built');
  return [{ name: 'ann' }, { name: 'bob' }, { name: 'cid' }];
});

export const options = { scenarios: { each: { executor: 'per-vu-iterations', vus: ${vus}, iterations: 2 } } };

function attempt(label, fn) {
  try {
    fn();
    console.log('write ' + label + '=no-throw');
  } catch (e) {
    console.log('write ' + label + '=' + e.name);
  }
}

export default function () {
  const names = [];
  for (const user of users) names.push(user.name);
  console.log('read vu=' + __VU + ' length=' + users.length + ' names=' + names.join(','));
  if (__VU === 1 && __ITER === 0) {
    attempt('index', () => { users[0] = { name: 'zed' }; });
    attempt('property', () => { users[1].name = 'zed'; });
    attempt('push', () => { users.push({ name: 'zed' }); });
    try {
      new SharedArray('late', () => [1]);
      console.log('late constructed');
    } catch (e) {
      console.log('late threw ' + String(e.message || e).replace(/\\s+/g, '_'));
    }
  }
}
`;

describe('SharedArray', () => {
  let run: RunResult;
  after(() => cleanup(run));

  it('runs, with VUs on two worker threads', async () => {
    run = await runK6(script, { args: ['--workers', '2'] });
    assert.equal(run.code, 0, explain(run));
  });

  it('runs its callback once for the whole test', () => {
    assert.equal(run.logs.filter((msg) => msg === 'built').length, 1, `"built" logged ${run.logs.filter((msg) => msg === 'built').length} times`);
  });

  it('is read by every VU: length, index, for-of', () => {
    const reads = logFields(run, 'read');
    assert.equal(reads.length, vus * 2);
    assert.deepEqual([...new Set(reads.map((r) => r.vu))].sort(), ['1', '2', '3', '4']);
    for (const read of reads) assert.deepEqual({ length: read.length, names: read.names }, { length: '3', names: 'ann,bob,cid' }, JSON.stringify(read));
  });

  it('is read-only: writes throw a TypeError and change nothing, for this VU or any other', () => {
    const writes = Object.assign({}, ...logFields(run, 'write'));
    assert.deepEqual(writes, { index: 'TypeError', property: 'TypeError', push: 'TypeError' }, explain(run));
  });

  it('cannot be constructed outside the init context', () => {
    const late = run.logs.find((msg) => msg.startsWith('late '));
    assert.match(late ?? '', /^late threw .*init_context/, String(late));
  });
});
