import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../build/paths.ts';
import { ExitCode } from '../engine/run/exit-codes.ts';
import { parseDurationMs } from '../lib/duration.ts';
import { ENV_DEFAULTS, ENV_HELP, ENV_PATTERNS, envHelpLines, envOptions, PROFILE_NAMES } from '../lib/env-options.ts';
import { agentSla } from '../lib/dialects/agent-sla.ts';
import { DEFAULT_PATHS } from '../lib/protocol/index.ts';
import { SLA_CATALOG } from '../lib/sla-catalog.ts';
import { bundlePath, inspectOptions, runK6 } from './support/k6.ts';

/** The options a scenario bundle exports, without running it. */
async function inspect(scenario: string, env: Record<string, string>): Promise<{ scenarios: Record<string, any>; thresholds: Record<string, any[]>; summaryTrendStats: string[] }> {
  return (await inspectOptions(bundlePath(scenario), env)) as Awaited<ReturnType<typeof inspect>>;
}

const durationsMs = (durations: string[]): Array<number | undefined> => durations.map((text) => parseDurationMs(text));

describe('SLA suite: options the scenarios hand to k6', () => {
  it('documents every __ENV name lib/config.ts reads, with help, and the paths match the contract', () => {
    const source = readFileSync(join(repoRoot, 'lib', 'config.ts'), 'utf8');
    // lib/config.ts reads the SLA_* bounds by their catalogue names, the rest by name.
    const read = new Set([...source.matchAll(/\b(?:raw|number|zeroOrMore|optional|oneOf|url|path)\('([A-Z_]+)'/g)].map((m) => m[1]));
    assert.match(source, /SLA_IDS\.map/);
    for (const def of Object.values(SLA_CATALOG)) read.add(def.env);
    assert.deepEqual([...read].sort(), Object.keys(ENV_DEFAULTS).sort());
    assert.deepEqual(Object.keys(ENV_HELP).sort(), Object.keys(ENV_DEFAULTS).sort());
    // Per-plan bounds are read by a pattern (lib/plan-bounds.ts, called from the SLA block), documented as one help entry.
    assert.match(source, /readPlanBounds\(env, sla\)/);
    assert.deepEqual(ENV_PATTERNS.map((entry) => entry.name), ['SLA_<SLA>_MS_<PLAN>']);
    assert.equal(envHelpLines().length, envOptions().length + ENV_PATTERNS.length);
    assert.ok(envHelpLines().some((line) => line.trimStart().startsWith('SLA_<SLA>_MS_<PLAN>')));
    // The routes default to the dialect's (PATH_* is '' unless set); agent-sla's are the contract's.
    for (const [key, path] of Object.entries(agentSla.defaultPaths)) assert.equal(path, DEFAULT_PATHS[key as keyof typeof DEFAULT_PATHS], key);
    assert.equal(ENV_DEFAULTS.PATH_HEALTH, DEFAULT_PATHS.health);
  });

  it('scales every profile by TIME_SCALE and bounds it', async () => {
    for (const profile of PROFILE_NAMES) {
      const scenario = (await inspect('agent-events', { PROFILE: profile, TIME_SCALE: '0.01' })).scenarios['agent-events'];
      assert.ok(scenario, profile);
      assert.ok(scenario.gracefulStop, `${profile} has no gracefulStop`);
      const bounded = scenario.duration ?? scenario.maxDuration ?? scenario.stages;
      assert.ok(bounded, `${profile} is not bounded in time`);
    }
    const stress = (await inspect('agent-events', { PROFILE: 'stress', TIME_SCALE: '0.5', VUS: '20' })).scenarios['agent-events'];
    assert.equal(stress.executor, 'ramping-vus');
    assert.deepEqual(stress.stages.map((s: { target: number }) => s.target), [10, 20, 20, 0]);
    assert.deepEqual(durationsMs(stress.stages.map((s: { duration: string }) => s.duration)), [60_000, 60_000, 90_000, 30_000]);
    const fixed = (await inspect('agent-events', { PROFILE: 'load', ITERATIONS: '7', VUS: '3' })).scenarios['agent-events'];
    assert.equal(fixed.executor, 'shared-iterations');
    assert.equal(fixed.iterations, 7);
    assert.equal(fixed.vus, 3);
    assert.equal((await inspect('agent-events', { PROFILE: 'breakpoint' })).scenarios['agent-events'].executor, 'ramping-arrival-rate');
    assert.equal(parseDurationMs((await inspect('agent-events', { PROFILE: 'soak', DURATION: '90s' })).scenarios['agent-events'].duration), 90_000);
  });

  it('turns the SLA table into thresholds per scenario and per plan; stress aborts; correctness is exact in every profile', async () => {
    const smoke = await inspect('agent-billing', { PROFILE: 'smoke', SLA_AGENT_MS: '1234' });
    assert.deepEqual(smoke.thresholds['agent_response_duration'], ['p(95)<1234']);
    assert.deepEqual(smoke.thresholds['agent_response_duration{plan:pro}'], ['p(95)<1234']);
    assert.deepEqual(smoke.thresholds['billing_reconciled{scenario:agent-billing}'], ['rate==1']);
    assert.equal(smoke.thresholds['billing_reconciled{plan:free}'], undefined, 'agent-billing defaults to pro:3,enterprise:1');
    assert.ok(smoke.summaryTrendStats.includes('p(95)') && smoke.summaryTrendStats.includes('p(99)'));
    const stress = await inspect('journey', { PROFILE: 'stress', PLANS: 'free:1' });
    assert.deepEqual(stress.thresholds['billing_reconciled{plan:free}'], [{ threshold: 'rate==1', abortOnFail: true, delayAbortEval: '30s' }]);
    assert.deepEqual(stress.thresholds['signup_duration'], [{ threshold: 'p(95)<10000', abortOnFail: true, delayAbortEval: '30s' }]);
    assert.deepEqual(stress.thresholds['agent_run_ok{scenario:journey}'], [{ threshold: 'rate>=0.99', abortOnFail: true, delayAbortEval: '30s' }]);
    for (const profile of PROFILE_NAMES) {
      const thresholds = (await inspect('journey', { PROFILE: profile })).thresholds;
      const expression = (key: string): unknown => thresholds[key]?.map((t: string | { threshold: string }) => (typeof t === 'string' ? t : t.threshold));
      assert.deepEqual(expression('agent_event_sequence_ok'), ['rate==1'], profile);
      assert.deepEqual(expression('billing_reconciled'), ['rate==1'], profile);
      assert.deepEqual(expression('agent_run_ok'), ['rate>=0.99'], profile);
      assert.deepEqual(expression('checks'), ['rate>=0.99'], profile);
    }
    const loosened = await inspect('journey', { PROFILE: 'load', SLA_BILLING_RATE: '99.9%', SLA_RUNS_RATE: '0.995', SLA_SEQUENCE_RATE: '100%' });
    assert.deepEqual(loosened.thresholds['billing_reconciled{plan:pro}'], ['rate>=0.999']);
    assert.deepEqual(loosened.thresholds['agent_run_ok'], ['rate>=0.995']);
    assert.deepEqual(loosened.thresholds['agent_event_sequence_ok'], ['rate==1']);
  });

  it('gives a plan its own latency bound where one is set, and the overall bound to the others', async () => {
    const thresholds = (await inspect('journey', { SLA_AGENT_MS: '30000', SLA_AGENT_MS_ENTERPRISE: '15000', SLA_AUTH_MS_FREE: '2500' })).thresholds;
    assert.deepEqual(thresholds['agent_response_duration'], ['p(95)<30000']);
    assert.deepEqual(thresholds['agent_response_duration{scenario:journey}'], ['p(95)<30000']);
    assert.deepEqual(thresholds['agent_response_duration{plan:enterprise}'], ['p(95)<15000']);
    assert.deepEqual(thresholds['agent_response_duration{plan:pro}'], ['p(95)<30000']);
    assert.deepEqual(thresholds['auth_duration{plan:free}'], ['p(95)<2500']);
    assert.deepEqual(thresholds['auth_duration{plan:enterprise}'], ['p(95)<5000']);
    // ttft and itl have no default bound: no threshold until one is set, then per plan too.
    assert.equal(thresholds['agent_time_to_first_token'], undefined);
    const streaming = (await inspect('journey', { SLA_TTFT_MS: '2000', SLA_ITL_MS: '200', SLA_TTFT_MS_PRO: '900' })).thresholds;
    assert.deepEqual(streaming['agent_time_to_first_token'], ['p(95)<2000']);
    assert.deepEqual(streaming['agent_time_to_first_token{plan:pro}'], ['p(95)<900']);
    assert.deepEqual(streaming['agent_inter_token_latency{plan:free}'], ['p(95)<200']);
  });

  it('refuses an unknown SLA or plan, or a per-plan bound on a rate, in one line with exit 107 before any load', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ SLA_AGENT_MS_GOLD: '1000' }, /SLA_AGENT_MS_GOLD: unknown plan "gold"; plans: free, pro, enterprise/],
      [{ SLA_SPEED_MS_PRO: '1000' }, /SLA_SPEED_MS_PRO: unknown SLA "speed"/],
      [{ SLA_RUNS_RATE_PRO: '99%' }, /SLA_RUNS_RATE_PRO: runs is a rate SLA; only latency SLAs/],
      [{ SLA_BILLING_MS_PRO: '1000' }, /SLA_BILLING_MS_PRO: billing is a rate SLA/],
      [{ SLA_AGENTMS: '1000' }, /SLA_AGENTMS is not an SLA variable/],
      [{ SLA_AGENT_MS_PRO: 'fast' }, /SLA_AGENT_MS_PRO="fast" must be a number above 0/],
      [{ SLA_TTFT_MS_PRO: '500' }, /SLA_TTFT_MS_PRO needs SLA_TTFT_MS too/],
    ];
    for (const [env, message] of cases) {
      const args = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
      const result = await runK6(bundlePath('journey'), { args });
      assert.equal(result.code, ExitCode.scriptException, `${JSON.stringify(env)}: ${result.stderr}`);
      // The engine logs the thrown line inside msg="…", escaping its quotes, as k6 does.
      assert.match(result.stderr.replace(/\\"/g, '"'), message);
      assert.equal(result.summary, undefined, 'no test ran, so no summary');
      assert.equal(result.stderr.split('\n').filter((line) => /bad configuration/.test(line)).length, 1);
    }
  });
});
