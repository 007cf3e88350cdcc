import assert from 'node:assert/strict';
import test from 'node:test';
import type { MetricDefinition, Sample } from '../metrics/types.ts';
import { SampleQueue } from './sample-queue.ts';

const metric: MetricDefinition = { name: 'm', type: 'counter', contains: 'default' };
const samples = (count: number, from = 0): Sample[] => Array.from({ length: count }, (_, i) => ({ metric, tags: {}, value: from + i, time: 0 }));

test('samples are taken in order, in chunks of at most the chunk size', () => {
  const queue = new SampleQueue(4, 100);
  queue.push(samples(3));
  assert.equal(queue.hasFullChunk(), false);
  queue.push(samples(7, 3));
  assert.equal(queue.hasFullChunk(), true);
  assert.equal(queue.size, 10);
  const taken = [queue.take(), queue.take(), queue.take(), queue.take()];
  assert.deepEqual(taken.map((chunk) => chunk?.map((s) => s.value)), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], undefined]);
  assert.equal(queue.size, 0);
});

test('past its capacity the queue refuses samples and counts them', () => {
  const queue = new SampleQueue(4, 10);
  assert.equal(queue.push(samples(8)), 0);
  assert.equal(queue.push(samples(5)), 3);
  assert.equal(queue.size, 10);
  assert.equal(queue.takeRefusedCount(), 3);
  assert.equal(queue.takeRefusedCount(), 0);
  queue.take();
  assert.equal(queue.push(samples(2)), 0, 'room again once a chunk is taken');
});
