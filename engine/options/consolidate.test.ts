import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consolidateOptions, OptionsError, type Overrides } from './consolidate.ts';

const none: Overrides = { tiers: [] };
const scenarioOf = (script: unknown, overrides: Overrides = none) => consolidateOptions(script, overrides).options.scenarios;
const problemsOf = (script: unknown, overrides: Overrides = none): string[] => {
  try {
    consolidateOptions(script, overrides);
  } catch (error) {
    if (error instanceof OptionsError) return error.problems;
    throw error;
  }
  return [];
};

describe("options are consolidated as k6 consolidates them", () => {
  it('no execution options: one VU, one iteration, in a scenario named default', () => {
    assert.deepEqual(Object.keys(scenarioOf({})), ['default']);
    assert.equal(scenarioOf({}).default!.executor, 'per-vu-iterations');
  });

  it('the shortcuts become one scenario: iterations → shared-iterations, duration → constant-vus, stages → ramping-vus', () => {
    assert.deepEqual(scenarioOf({ vus: 3, iterations: 9 }).default, { exec: 'default', startTimeMs: 0, gracefulStopMs: 30_000, env: {}, tags: {}, executor: 'shared-iterations', vus: 3, iterations: 9, maxDurationMs: 600_000 });
    const constant = scenarioOf({ vus: 4, duration: '10s' }).default!;
    assert.equal(constant.executor, 'constant-vus');
    assert.equal(constant.executor === 'constant-vus' && constant.durationMs, 10_000);
    const ramping = scenarioOf({ vus: 2, stages: [{ duration: '5s', target: 10 }] }).default!;
    assert.equal(ramping.executor === 'ramping-vus' && ramping.startVUs, 2);
  });

  it('a higher tier setting duration, iterations, stages or scenarios replaces all four from below; vus merges', () => {
    const script = { scenarios: { browse: { executor: 'constant-vus', vus: 5, duration: '1m' } } };
    assert.deepEqual(Object.keys(scenarioOf(script, { tiers: [{ vus: 9 }] })), ['browse'], 'vus alone leaves scenarios alone');
    const flags = scenarioOf(script, { tiers: [{ vus: 2, duration: '5s' }] });
    assert.deepEqual(Object.keys(flags), ['default']);
    assert.equal(flags.default!.executor, 'constant-vus');
    const env = scenarioOf({ iterations: 5 }, { tiers: [{ duration: '3s' }, { iterations: 7 }] }).default!;
    assert.equal(env.executor === 'shared-iterations' && env.iterations, 7);
  });

  it('refuses conflicting shortcuts in one tier, as k6 does', () => {
    assert.match(problemsOf({ iterations: 3, stages: [{ duration: '1s', target: 1 }] }).join(), /`iterations` and `stages`/);
    assert.match(problemsOf({ duration: '3s', scenarios: { a: { executor: 'constant-vus', duration: '3s' } } }).join(), /`duration`\) and `scenarios`/);
  });

  it("checks every scenario in k6's words and reports all the problems at once", () => {
    const problems = problemsOf({
      scenarios: {
        short: { executor: 'constant-vus', vus: 0, duration: '500ms' },
        few: { executor: 'shared-iterations', vus: 5, iterations: 2 },
        rate: { executor: 'constant-arrival-rate', duration: '10s' },
        odd: { executor: 'constant-vus', duration: '10s', bogus: 1 },
        'bad name': { executor: 'nope' },
      },
    });
    assert.ok(problems.some((problem) => /short: the number of VUs must be more than 0/.test(problem)));
    assert.ok(problems.some((problem) => /short: the duration must be at least 1s/.test(problem)));
    assert.ok(problems.some((problem) => /few: the number of iterations \(2\) can't be less than the number of VUs \(5\)/.test(problem)));
    assert.ok(problems.some((problem) => /rate: the iteration rate isn't specified/.test(problem)));
    assert.ok(problems.some((problem) => /rate: the number of preAllocatedVUs isn't specified/.test(problem)));
    assert.ok(problems.some((problem) => /odd: unknown field "bogus"/.test(problem)));
    assert.ok(problems.some((problem) => /bad name: the scenario name should contain only/.test(problem)));
  });

  it('normalises thresholds: strings, lists and objects with abortOnFail', () => {
    const { thresholds } = consolidateOptions({ thresholds: { a: 'p(95)<1', b: ['rate>0.9', { threshold: 'count>1', abortOnFail: true, delayAbortEval: '10s' }] } }, none).options;
    assert.deepEqual(thresholds.a, [{ threshold: 'p(95)<1', abortOnFail: false, delayAbortEvalMs: 0 }]);
    assert.deepEqual(thresholds.b![1], { threshold: 'count>1', abortOnFail: true, delayAbortEvalMs: 10_000 });
    assert.match(problemsOf({ thresholds: { a: [42] } }).join(), /neither a threshold expression/);
  });

  it('tags from flags win over the script; unknown system tags and bad trend stats are refused', () => {
    const options = consolidateOptions({ tags: { env: 'script', team: 'x' } }, { tiers: [], tags: { env: 'flag' } }).options;
    assert.deepEqual(options.tags, { env: 'flag', team: 'x' });
    assert.match(problemsOf({ systemTags: ['status', 'nonsense'] }).join(), /unknown system tag "nonsense"/);
    assert.match(problemsOf({ summaryTrendStats: ['avg', 'p95'] }).join(), /'p95' is not a valid trend stat/);
  });
});
