// abortOnFail stops the test as soon as its threshold fails, once delayAbortEval has passed; without it the same
// failing threshold lets the test run its full course. Either way the run exits 99 (a threshold failed).
// https://grafana.com/docs/k6/latest/using-k6/thresholds/#abort-a-test-when-a-threshold-is-crossed
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, logFields, runK6, type RunResult } from './run-k6-script.ts';

function scriptWith(threshold: string | Record<string, unknown>, duration: string): string {
  return `
import { sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

const bad = new Counter('bad');

export const options = {
  scenarios: { steady: { executor: 'constant-vus', vus: 2, duration: '${duration}' } },
  thresholds: { bad: [${JSON.stringify(threshold)}] },
};

export default function () {
  bad.add(1);
  console.log('tick at=' + Math.round(exec.instance.currentTestRunDuration));
  sleep(0.1);
}
`;
}

const lastTick = (run: RunResult): number => Math.max(...logFields(run, 'tick').map((line) => Number(line.at)));

describe('abortOnFail and delayAbortEval', () => {
  let aborting: RunResult;
  let running: RunResult;
  after(() => cleanup(aborting, running));

  it('stops the test early, after the delay, with exit 99', async () => {
    // 'count<5' fails within the first half second; the test is planned for 20 s.
    aborting = await runK6(scriptWith({ threshold: 'count<5', abortOnFail: true, delayAbortEval: '3s' }, '20s'), { summaryExport: true });
    assert.equal(aborting.code, 99, explain(aborting));
    assert.deepEqual(aborting.summary?.metrics.bad?.thresholds, { 'count<5': true });
    const stoppedAt = lastTick(aborting);
    assert.ok(stoppedAt >= 2900, `aborted at ${stoppedAt} ms, before delayAbortEval (3 s) was over`);
    assert.ok(stoppedAt < 12_000, `still iterating at ${stoppedAt} ms of a 20 s test: abortOnFail did not stop it`);
    const iterations = aborting.summary?.metrics.iterations?.count as number;
    assert.ok(iterations < 200, `${iterations} iterations: about 400 are planned, far fewer should run`);
  });

  it('lets the same failing threshold run to the end without abortOnFail, with exit 99', async () => {
    running = await runK6(scriptWith('count<5', '4s'), { summaryExport: true });
    assert.equal(running.code, 99, explain(running));
    assert.deepEqual(running.summary?.metrics.bad?.thresholds, { 'count<5': true });
    const stoppedAt = lastTick(running);
    assert.ok(stoppedAt >= 3500, `last iteration started at ${stoppedAt} ms of a 4 s test: it stopped early`);
  });
});
