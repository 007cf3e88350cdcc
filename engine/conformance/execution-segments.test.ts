// Execution segments split one test across instances with no overlap: runs with complementary segments of one
// sequence do, together, exactly the work of the whole test.
// https://grafana.com/docs/k6/latest/using-k6/k6-options/reference/#execution-segment
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanup, explain, runK6, type RunResult } from './run-k6-script.ts';

const script = `
import { sleep } from 'k6';
export const options = {
  scenarios: {
    shared: { executor: 'shared-iterations', vus: 3, iterations: 11 },
    perVu: { executor: 'per-vu-iterations', vus: 3, iterations: 2 },
    rate: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1s', preAllocatedVUs: 5 },
  },
  thresholds: {
    'iterations{scenario:shared}': ['count>=0'],
    'iterations{scenario:perVu}': ['count>=0'],
    'iterations{scenario:rate}': ['count>=0'],
  },
};
export default function () { sleep(0.05); }
`;

const scenarios = ['shared', 'perVu', 'rate'];
const expected: Record<string, number> = { shared: 11, perVu: 6, rate: 10 };

describe('execution segments', () => {
  let whole: RunResult;
  let first: RunResult;
  let rest: RunResult;
  after(() => cleanup(whole, first, rest));
  const counts = (run: RunResult) => Object.fromEntries(scenarios.map((s) => [s, (run.summary?.metrics[`iterations{scenario:${s}}`]?.count as number | undefined) ?? 0]));

  it('runs the whole test, and its two segments of the sequence 0,1/3,1', async () => {
    const sequence = ['--execution-segment-sequence', '0,1/3,1'];
    [whole, first, rest] = await Promise.all([
      runK6(script, { summaryExport: true }),
      runK6(script, { summaryExport: true, args: ['--execution-segment', '0:1/3', ...sequence] }),
      runK6(script, { summaryExport: true, args: ['--execution-segment', '1/3:1', ...sequence] }),
    ]);
    for (const run of [whole, first, rest]) assert.equal(run.code, 0, explain(run));
    assert.deepEqual(counts(whole), expected);
  });

  it('splits each scenario between the segments: neither does all of it', () => {
    const a = counts(first);
    const b = counts(rest);
    for (const scenario of scenarios) {
      assert.ok(a[scenario]! < expected[scenario]! && b[scenario]! < expected[scenario]!, `${scenario}: ${a[scenario]} + ${b[scenario]}`);
    }
  });

  it('adds up, segment by segment, to exactly the whole test', () => {
    const a = counts(first);
    const b = counts(rest);
    for (const scenario of scenarios) assert.equal(a[scenario]! + b[scenario]!, expected[scenario], `${scenario}: ${a[scenario]} + ${b[scenario]}`);
  });
});
