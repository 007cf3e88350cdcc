import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDurationMs } from '../lib/duration.ts';
import { PROFILE_NAMES, type ProfileName } from '../lib/env-options.ts';
import { profileMs, profiles, scenarioFor } from '../lib/profiles.ts';

/** The overrides as lib/config.ts reads them from PROFILE, VUS, DURATION, ITERATIONS and TIME_SCALE. */
type Env = { PROFILE: ProfileName; VUS?: string; DURATION?: string; ITERATIONS?: string; TIME_SCALE?: string };
const scenario = (env: Env) => scenarioFor({
  profile: env.PROFILE,
  vus: env.VUS === undefined ? undefined : Number(env.VUS),
  durationMs: env.DURATION === undefined ? undefined : parseDurationMs(env.DURATION),
  iterations: env.ITERATIONS === undefined ? undefined : Number(env.ITERATIONS),
  timeScale: Number(env.TIME_SCALE ?? '1'),
  runTimeoutMs: 90_000,
  httpTimeoutMs: 30_000,
}) as Record<string, any>;
const stageMs = (s: Record<string, any>): number[] => s.stages.map((stage: { duration: string }) => parseDurationMs(stage.duration));
const targets = (s: Record<string, any>): number[] => s.stages.map((stage: { target: number }) => stage.target);

describe('profiles in k6 words (lib/profiles.ts) and how the overrides combine', () => {
  it('every profile is a k6 executor with its durations in k6 syntax and a bounded length', () => {
    for (const name of PROFILE_NAMES) {
      const shape = profiles()[name].shape;
      assert.ok(profileMs(shape) > 0, name);
      if ('stages' in shape) for (const stage of shape.stages) assert.notEqual(parseDurationMs(stage.duration), undefined, `${name}: ${stage.duration}`);
    }
    assert.deepEqual(profiles().load.shape, { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1m', target: 20 }, { duration: '3m', target: 20 }, { duration: '30s', target: 0 }] });
  });

  it('without overrides the scenario is the profile', () => {
    const load = scenario({ PROFILE: 'load' });
    assert.deepEqual(stageMs(load), [60_000, 180_000, 30_000]);
    assert.deepEqual(targets(load), [20, 20, 0]);
    assert.equal(scenario({ PROFILE: 'soak' }).duration, '3600000ms');
  });

  it('TIME_SCALE multiplies every duration; VUS scales every target to the new peak', () => {
    const stress = scenario({ PROFILE: 'stress', TIME_SCALE: '0.5', VUS: '20' });
    assert.deepEqual(stageMs(stress), [60_000, 60_000, 90_000, 30_000]);
    assert.deepEqual(targets(stress), [10, 20, 20, 0]);
  });

  it('DURATION replaces the length, stages keep their proportions, and TIME_SCALE no longer applies', () => {
    const load = scenario({ PROFILE: 'load', DURATION: '27s', TIME_SCALE: '0.01' });
    assert.deepEqual(stageMs(load), [6000, 18_000, 3000]);
    assert.equal(scenario({ PROFILE: 'soak', DURATION: '90s', TIME_SCALE: '5' }).duration, '90000ms');
  });

  it('arrival rates keep their rate under VUS; only the VU pool scales', () => {
    const breakpoint = scenario({ PROFILE: 'breakpoint', VUS: '100' });
    assert.deepEqual(targets(breakpoint), [200]);
    assert.equal(breakpoint.maxVUs, 100);
    assert.equal(breakpoint.preAllocatedVUs, 20);
  });

  it('ITERATIONS switches to shared-iterations, by VUS users (else the profile\'s, at most 10), within the scaled length', () => {
    const fixed = scenario({ PROFILE: 'load', ITERATIONS: '7', VUS: '3', TIME_SCALE: '0.1' });
    assert.deepEqual([fixed.executor, fixed.iterations, fixed.vus, fixed.maxDuration], ['shared-iterations', 7, 3, '27000ms']);
    assert.equal(scenario({ PROFILE: 'stress', ITERATIONS: '50' }).vus, 10);
    assert.equal(scenario({ PROFILE: 'smoke', ITERATIONS: '1' }).vus, 1, 'never more users than iterations');
    assert.equal(scenario({ PROFILE: 'load', ITERATIONS: '5', DURATION: '10s' }).maxDuration, '10000ms');
  });
});
