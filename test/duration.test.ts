import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSlaSpec } from '../cli/sla-spec.ts';
import { ExitCode } from '../engine/run/exit-codes.ts';
import { k6Duration, parseDurationMs } from '../lib/duration.ts';
import { bundlePath, inspectOptions, runK6 } from './support/k6.ts';

const soakWith = (duration: string): Record<string, string> => ({ PROFILE: 'soak', DURATION: duration });

/** The scenario duration the bundle's init code resolves with DURATION set, read as the engine reads options. */
async function resolvedDurationMs(text: string): Promise<number | undefined> {
  const { scenarios } = await inspectOptions(bundlePath('agent-events'), soakWith(text));
  return parseDurationMs(scenarios['agent-events'].duration);
}

describe('one duration parser for the k6 side and the CLI (lib/duration.ts)', () => {
  it('reads k6 durations, a bare number as seconds', () => {
    const cases: Array<[string, number]> = [['500ms', 500], ['30s', 30_000], ['1m30s', 90_000], ['2h', 7_200_000], ['1.5s', 1500], ['90', 90_000], [' 2m ', 120_000], ['1h2m3s4ms', 3_723_004]];
    for (const [text, ms] of cases) assert.equal(parseDurationMs(text), ms, text);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 'soon', '5 s', '1d', '-1s', 's', '1m x', '1ms2']) assert.equal(parseDurationMs(text), undefined, text);
  });

  it('"0s" is not a duration: everything that takes one needs time to pass, so both sides refuse it', async () => {
    for (const text of ['0s', '0', '0ms', '0m0s']) assert.equal(parseDurationMs(text), undefined, text);
    assert.throws(() => parseSlaSpec('agent=0s'), /"0s" for agent is not a positive duration/);
    // The bundle's init code refuses it before any VU starts: an init exception, in k6's logfmt.
    const zero = await runK6(bundlePath('agent-events'), { env: soakWith('0s') });
    assert.equal(zero.code, ExitCode.scriptException, zero.stderr);
    assert.match(zero.stderr, /level=error msg="bad configuration: DURATION=\\"0s\\" is not a duration/);
    assert.equal(await resolvedDurationMs('1m30s'), 90_000);
  });

  it('writes durations for k6 in ms, never below 1ms', () => {
    assert.equal(k6Duration(1500.4), '1500ms');
    assert.equal(k6Duration(0), '1ms');
  });
});
