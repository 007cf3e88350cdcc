// The exit code of each way a run can end, and an iteration that throws: logged, counted, and the run goes on.
// https://grafana.com/docs/k6/latest/javascript-api/k6-execution/ (test.abort: 108, teardown still runs;
//   test.fail: 110, "will not interrupt test execution")
// https://grafana.com/docs/k6/latest/javascript-api/k6/fail/ ("aborting the current iteration … does not abort the
//   test, nor does it make the test exit with non-0 status")
// https://grafana.com/docs/k6/latest/using-k6/thresholds/ (a failed threshold: non-zero exit)
// The numbers 99, 104 and 107 are k6's errext/exitcodes (ThresholdsHaveFailed, InvalidConfig, ScriptException), and
// which error gets which is k6's observable behaviour (its cmd tests run these same kinds of scripts); so is the
// error-level log line "test aborted: <reason>" / "test marked as failed: <reason>" that carries the optional message.
// setup() exceptions and test.abort() in setup are in setup-data.test.ts.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, runK6, type RunResult } from './run-k6-script.ts';

/** The error-level log lines: where k6 reports test.abort()'s and test.fail()'s reason, and an iteration's exception. */
const errorsOf = (result: RunResult): string => result.logLines.filter((line) => line.level === 'error').map((line) => line.msg).join('\n');

describe('exit codes', () => {
  const results: RunResult[] = [];
  const run = async (...args: Parameters<typeof runK6>): Promise<RunResult> => {
    const result = await runK6(...args);
    results.push(result);
    return result;
  };
  after(() => cleanup(...results));

  const failingThreshold = `
    export const options = { iterations: 2, thresholds: { iterations: ['count>100'] } };
    export default function () {}
  `;

  it('0: a run whose thresholds pass', async () => {
    const result = await run(`
      export const options = { iterations: 2, thresholds: { iterations: ['count==2'] } };
      export default function () {}
    `);
    assert.equal(result.code, 0, explain(result));
  });

  it('99: a threshold failed', async () => {
    const result = await run(failingThreshold);
    assert.equal(result.code, 99, explain(result));
  });

  it('0: the same failing threshold under --no-thresholds', async () => {
    const result = await run(failingThreshold, { args: ['--no-thresholds'] });
    assert.equal(result.code, 0, explain(result));
  });

  it('104: an option of the wrong type', async () => {
    const result = await run(`
      export const options = { vus: 'this is an invalid type' };
      export default function () { console.log('iteration ran'); }
    `);
    assert.equal(result.code, 104, explain(result));
    assert.ok(!result.logs.includes('iteration ran'));
  });

  it('104: a scenario without an executor', async () => {
    const result = await run(`
      export const options = {
        scenarios: {
          fine: { executor: 'shared-iterations', vus: 1, iterations: 1 },
          broken: {},
        },
      };
      export default function () { console.log('iteration ran'); }
    `);
    assert.equal(result.code, 104, explain(result));
    assert.ok(!result.logs.includes('iteration ran'));
  });

  it('104: an invalid duration from K6_DURATION', async () => {
    const result = await run(`export default function () { console.log('iteration ran'); }`, { env: { K6_DURATION: 'fails' } });
    assert.equal(result.code, 104, explain(result));
    assert.ok(!result.logs.includes('iteration ran'));
  });

  it('107: an exception in the init code', async () => {
    const result = await run(`
      someUndefinedVar;
      export default function () { console.log('iteration ran'); }
    `);
    assert.equal(result.code, 107, explain(result));
    assert.match(result.stderr, /someUndefinedVar is not defined/);
    assert.ok(!result.logs.includes('iteration ran'));
  });

  let aborted: RunResult;
  it('108: test.abort() in the default function; no iteration after it, and teardown still runs', async () => {
    aborted = await run(`
      import exec from 'k6/execution';
      export const options = { iterations: 50 };
      export default function () {
        console.log('iteration ' + __ITER);
        if (__ITER === 2) exec.test.abort('enough');
      }
      export function teardown() { console.log('teardown ran'); }
    `);
    assert.equal(aborted.code, 108, explain(aborted));
    assert.ok(aborted.logs.includes('teardown ran'), explain(aborted));
    assert.ok(!aborted.logs.includes('iteration 3'), 'an iteration started after test.abort()');
  });

  it('108: test.abort(reason) logs "test aborted: <reason>" as an error', () => {
    assert.match(errorsOf(aborted), /test aborted: enough/, explain(aborted));
  });

  it('108: test.abort() in the init code', async () => {
    const result = await run(`
      import exec from 'k6/execution';
      exec.test.abort('from init');
      export default function () { console.log('iteration ran'); }
    `);
    assert.equal(result.code, 108, explain(result));
    assert.ok(!result.logs.includes('iteration ran'));
  });

  let failed: RunResult;
  it('110: test.fail() marks the run failed and every iteration still runs', async () => {
    failed = await run(`
      import exec from 'k6/execution';
      export const options = { iterations: 5 };
      export default function () {
        if (__ITER === 0) exec.test.fail('marked');
        console.log('iteration done');
      }
    `, { summaryExport: true });
    assert.equal(failed.code, 110, explain(failed));
    assert.equal(failed.logs.filter((msg) => msg === 'iteration done').length, 5, explain(failed));
    assert.equal(failed.summary?.metrics.iterations?.count, 5);
  });

  it('110: test.fail(reason) logs "test marked as failed: <reason>" as an error', () => {
    assert.match(errorsOf(failed), /test marked as failed: marked/, explain(failed));
  });

  it('0: an iteration that throws is logged and counted, and the run goes on', async () => {
    const result = await run(`
      import { fail } from 'k6';
      export const options = { iterations: 6 };
      export default function () {
        console.log('iteration started');
        if (__ITER === 1) throw new Error('thrown-in-iteration');
        if (__ITER === 3) fail('failed-in-iteration');
      }
    `, { summaryExport: true });
    assert.equal(result.code, 0, explain(result));
    assert.equal(result.logs.filter((msg) => msg === 'iteration started').length, 6);
    const errors = errorsOf(result);
    assert.match(errors, /thrown-in-iteration/, explain(result));
    assert.match(errors, /failed-in-iteration/, explain(result));
    // k6 counts an iteration that ended in an exception: only an interrupted one is left out.
    assert.equal(result.summary?.metrics.iterations?.count, 6);
  });
});
