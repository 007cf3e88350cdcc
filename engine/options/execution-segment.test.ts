import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countBefore, iterationInTest, parseExecutionSegment, scaleCount, SegmentError, WHOLE_TEST } from './execution-segment.ts';

test('segments of a sequence split every count exactly, whatever the count', () => {
  const sequence = '0,1/3,2/3,1';
  const segments = ['0:1/3', '1/3:2/3', '2/3:1'].map((segment) => parseExecutionSegment(segment, sequence));
  for (const count of [0, 1, 2, 3, 4, 7, 10, 101]) {
    assert.equal(segments.reduce((sum, segment) => sum + scaleCount(segment, count), 0), count, `count ${count}`);
    assert.equal(countBefore(segments[2]!, count), scaleCount(segments[0]!, count) + scaleCount(segments[1]!, count));
  }
});

test('accepts fractions, decimals and percents; a single value is 0:value', () => {
  assert.deepEqual(parseExecutionSegment('25%:0.5', undefined), { from: 0.25, to: 0.5, index: undefined, count: undefined });
  assert.deepEqual(parseExecutionSegment('1/2', undefined), { from: 0, to: 0.5, index: undefined, count: undefined });
  assert.equal(parseExecutionSegment(undefined, undefined), WHOLE_TEST);
});

test('refuses segments that are not segments', () => {
  for (const [segment, sequence] of [['1/2:1/4', undefined], ['x', undefined], ['0:3/2', undefined], ['1/4:2/4', '0,1/2,1'], ['0:1/2', '0,1/2'], ['0:1/2', '0,3/4,1/2,1']] as const) {
    assert.throws(() => parseExecutionSegment(segment, sequence), SegmentError, `${segment} ${sequence}`);
  }
});

test('test-wide iteration numbers of the instances of a sequence never collide', () => {
  const sequence = '0,1/4,1/2,1';
  const seen = new Set<number>();
  for (const segment of ['0:1/4', '1/4:1/2', '1/2:1']) {
    const parsed = parseExecutionSegment(segment, sequence);
    for (let local = 0; local < 50; local++) {
      const global = iterationInTest(parsed, local);
      assert.ok(!seen.has(global), `${segment} ${local}`);
      seen.add(global);
    }
  }
});
