import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSlaSpec } from '../cli/sla-spec.ts';
import { spawnSync } from 'node:child_process';
import { k6Duration, parseDurationMs } from '../lib/duration.ts';
import { bundlePath, k6Binary } from './support/k6.ts';

/** k6's own reading of a scenario bundle with DURATION set: the exit code and the duration it resolved. */
function inspectDuration(text: string): { status: number | null; stderr: string; duration?: string } {
  const result = spawnSync(k6Binary(), ['inspect', '-e', 'PROFILE=soak', '-e', `DURATION=${text}`, bundlePath('agent-events')], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr, duration: result.status === 0 ? JSON.parse(result.stdout).scenarios['agent-events'].duration : undefined };
}

describe('one duration parser for the k6 side and the CLI (lib/duration.ts)', () => {
  it('reads k6 durations, a bare number as seconds', () => {
    const cases: Array<[string, number]> = [['500ms', 500], ['30s', 30_000], ['1m30s', 90_000], ['2h', 7_200_000], ['1.5s', 1500], ['90', 90_000], [' 2m ', 120_000], ['1h2m3s4ms', 3_723_004]];
    for (const [text, ms] of cases) assert.equal(parseDurationMs(text), ms, text);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 'soon', '5 s', '1d', '-1s', 's', '1m x', '1ms2']) assert.equal(parseDurationMs(text), undefined, text);
  });

  it('"0s" is not a duration: everything that takes one needs time to pass, so both sides refuse it', () => {
    for (const text of ['0s', '0', '0ms', '0m0s']) assert.equal(parseDurationMs(text), undefined, text);
    assert.throws(() => parseSlaSpec('agent=0s'), /"0s" for agent is not a positive duration/);
    const zero = inspectDuration('0s');
    assert.notEqual(zero.status, 0);
    assert.match(zero.stderr, /bad configuration: DURATION=\\"0s\\" is not a duration/);
    assert.equal(inspectDuration('1m30s').duration, '1m30s');
  });

  it('writes durations for k6 in ms, never below 1ms', () => {
    assert.equal(k6Duration(1500.4), '1500ms');
    assert.equal(k6Duration(0), '1ms');
  });
});
