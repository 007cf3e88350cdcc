import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from './duration.ts';

test('parses k6 durations in every unit, and JSON numbers as milliseconds', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('300ms'), 300);
  assert.equal(parseDuration('250us'), 0.25);
  assert.equal(parseDuration('2d'), 172_800_000);
  assert.equal(parseDuration('10'), 10_000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration(1500), 1500);
});

test('refuses what is not a duration', () => {
  for (const bad of ['', 'soon', '10 s', '1x', '-5s', 's', '1m30', 'NaN', null, {}, -1]) assert.equal(parseDuration(bad), undefined, String(bad));
});

test('formats durations the way k6 prints them', () => {
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(500), '500ms');
  assert.equal(formatDuration(7_200_000), '2h0m0s');
  assert.equal(formatDuration(30_000), '30s');
});

test('prints sub-millisecond and negative durations as Go does', () => {
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(3_600_000), '1h0m0s');
  assert.equal(formatDuration(0.0015), '1.5µs');
  assert.equal(formatDuration(0.0005), '500ns');
  assert.equal(formatDuration(-2000), '-2s');
});
