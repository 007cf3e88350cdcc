import assert from 'node:assert/strict';
import test from 'node:test';
import { WarningThrottle } from './warning-throttle.ts';

function throttle(): { said: string[]; clock: { now: number }; warnings: WarningThrottle } {
  const said: string[] = [];
  const clock = { now: 0 };
  return { said, clock, warnings: new WarningThrottle((line) => said.push(line), 1000, () => clock.now) };
}

test('one kind is said at once, then at most once an interval, with a count of what was held back', () => {
  const { said, clock, warnings } = throttle();
  warnings.say('write', 'first');
  warnings.say('write', 'second');
  warnings.say('write', 'third');
  assert.deepEqual(said, ['first']);
  clock.now = 1000;
  warnings.say('write', 'fourth');
  assert.deepEqual(said, ['first', 'fourth (2 more like it since the last one)']);
});

test('kinds are throttled apart; note() delays a kind, reset() frees it', () => {
  const { said, warnings } = throttle();
  warnings.note('down');
  warnings.say('down', 'held');
  warnings.say('slow', 'said');
  assert.deepEqual(said, ['said']);
  warnings.reset('down');
  warnings.say('down', 'now said');
  assert.deepEqual(said, ['said', 'now said']);
});
