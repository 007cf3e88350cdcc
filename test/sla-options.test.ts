import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../build/paths.ts';
import { ENV_DEFAULTS, ENV_HELP, envHelpLines, envOptions, PROFILE_NAMES } from '../lib/env-options.ts';
import { DEFAULT_PATHS } from '../lib/protocol/index.ts';
import { bundlePath, k6Binary } from './support/k6.ts';

/** The options k6 resolves from a bundle, without running it (`k6 inspect`). */
function inspect(scenario: string, env: Record<string, string>): { scenarios: Record<string, any>; thresholds: Record<string, any[]>; summaryTrendStats: string[] } {
  const args = ['inspect', ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]), bundlePath(scenario)];
  const result = spawnSync(k6Binary(), args, { encoding: 'utf8', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

describe('SLA suite: options the scenarios hand to k6', () => {
  it('documents every __ENV name lib/config.ts reads, with help, and the paths match the contract', () => {
    const source = readFileSync(join(repoRoot, 'lib', 'config.ts'), 'utf8');
    const read = new Set([...source.matchAll(/\b(?:raw|number|zeroOrMore|optional|oneOf|url|path)\('([A-Z_]+)'/g)].map((m) => m[1]));
    assert.deepEqual([...read].sort(), Object.keys(ENV_DEFAULTS).sort());
    assert.deepEqual(Object.keys(ENV_HELP).sort(), Object.keys(ENV_DEFAULTS).sort());
    assert.equal(envHelpLines().length, envOptions().length);
    const paths = { PATH_SIGNUP: 'signup', PATH_LOGIN: 'login', PATH_REFRESH: 'refresh', PATH_ME: 'me', PATH_WS: 'ws', PATH_BILLING_USAGE: 'billingUsage', PATH_BILLING_SUMMARY: 'billingSummary', PATH_HEALTH: 'health' } as const;
    for (const [name, key] of Object.entries(paths)) assert.equal(ENV_DEFAULTS[name as keyof typeof paths], DEFAULT_PATHS[key], name);
  });

  it('scales every profile by TIME_SCALE and bounds it', () => {
    for (const profile of PROFILE_NAMES) {
      const scenario = inspect('agent-events', { PROFILE: profile, TIME_SCALE: '0.01' }).scenarios['agent-events'];
      assert.ok(scenario, profile);
      assert.ok(scenario.gracefulStop, `${profile} has no gracefulStop`);
      const bounded = scenario.duration ?? scenario.maxDuration ?? scenario.stages;
      assert.ok(bounded, `${profile} is not bounded in time`);
    }
    const stress = inspect('agent-events', { PROFILE: 'stress', TIME_SCALE: '0.5', VUS: '20' }).scenarios['agent-events'];
    assert.equal(stress.executor, 'ramping-vus');
    assert.deepEqual(stress.stages.map((s: { target: number }) => s.target), [10, 20, 20, 0]);
    assert.deepEqual(stress.stages.map((s: { duration: string }) => s.duration), ['1m0s', '1m0s', '1m30s', '30s']);
    const fixed = inspect('agent-events', { PROFILE: 'load', ITERATIONS: '7', VUS: '3' }).scenarios['agent-events'];
    assert.equal(fixed.executor, 'shared-iterations');
    assert.equal(fixed.iterations, 7);
    assert.equal(fixed.vus, 3);
    assert.equal(inspect('agent-events', { PROFILE: 'breakpoint' }).scenarios['agent-events'].executor, 'ramping-arrival-rate');
    assert.equal(inspect('agent-events', { PROFILE: 'soak', DURATION: '90s' }).scenarios['agent-events'].duration, '1m30s');
  });

  it('turns the SLA table into thresholds per scenario and per plan; stress aborts, smoke demands rate == 1', () => {
    const smoke = inspect('agent-billing', { PROFILE: 'smoke', SLA_AGENT_MS: '1234' });
    assert.deepEqual(smoke.thresholds['agent_response_duration'], ['p(95)<1234']);
    assert.deepEqual(smoke.thresholds['agent_response_duration{plan:pro}'], ['p(95)<1234']);
    assert.deepEqual(smoke.thresholds['billing_reconciled{scenario:agent-billing}'], ['rate==1']);
    assert.equal(smoke.thresholds['billing_reconciled{plan:free}'], undefined, 'agent-billing defaults to pro:3,enterprise:1');
    assert.ok(smoke.summaryTrendStats.includes('p(95)') && smoke.summaryTrendStats.includes('p(99)'));
    const stress = inspect('journey', { PROFILE: 'stress', PLANS: 'free:1' });
    assert.deepEqual(stress.thresholds['billing_reconciled{plan:free}'], [{ threshold: 'rate>0.99', abortOnFail: true, delayAbortEval: '30s' }]);
    assert.deepEqual(stress.thresholds['signup_duration'], [{ threshold: 'p(95)<10000', abortOnFail: true, delayAbortEval: '30s' }]);
  });
});
