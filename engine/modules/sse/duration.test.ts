import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationMs, formatGoDuration } from './duration.ts';

describe('k6 durations', () => {
  it('reads numbers as ms and strings in Go syntax, with days', () => {
    assert.equal(durationMs(1500), 1500);
    assert.equal(durationMs('90s'), 90_000);
    assert.equal(durationMs('1m30s'), 90_000);
    assert.equal(durationMs('1.5h'), 5_400_000);
    assert.equal(durationMs('250ms'), 250);
    assert.equal(durationMs('1d2h'), 93_600_000);
    assert.equal(durationMs('500us'), 0.5);
    assert.equal(durationMs('0'), 0);
    assert.equal(durationMs('-2s'), -2000);
  });

  it('rejects what is not a duration', () => {
    for (const value of ['', '90', 's', '1x', '1s 2m', 'soon', {}, undefined, null, Number.NaN, true]) assert.equal(durationMs(value), undefined, String(value));
  });

  it('prints as Go prints a time.Duration', () => {
    assert.equal(formatGoDuration(300), '300ms');
    assert.equal(formatGoDuration(1000), '1s');
    assert.equal(formatGoDuration(1500), '1.5s');
    assert.equal(formatGoDuration(90_000), '1m30s');
    assert.equal(formatGoDuration(3_600_000), '1h0m0s');
    assert.equal(formatGoDuration(0.0015), '1.5µs');
    assert.equal(formatGoDuration(0), '0s');
  });
});
