import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../build/paths.ts';
import { bundlePath } from './support/k6.ts';
import { heapPerVuKiB } from './support/vu-heap.ts';

/**
 * A guard on memory per VU, without a clock: the JavaScript heap each VU keeps once its init has run on the engine
 * (a worker's VUs, after full GCs), which repeats to a few KiB. What it counts is what each VU's evaluation of the
 * bundle keeps alive: functions, tables, closures and metrics.
 */

/** agent-events measured 46–47 KiB and journey 48 on the engine (2026-12-04); a little headroom, no more. */
const HEAP_PER_VU_CEILING_KIB = 60;
const NARROW = 10;
const WIDE = 60;

describe('live heap per VU', () => {
  it('tells a script that keeps little per VU from ours, so the ceiling below can fail', async () => {
    // Measured 11–15 KiB for the hand-written script, about 34 KiB less than ours.
    const handWritten = await heapPerVuKiB(join(repoRoot, 'bench', 'handwritten', 'agent-events.js'), NARROW, WIDE);
    const ours = await heapPerVuKiB(bundlePath('agent-events'), NARROW, WIDE);
    assert.ok(handWritten > 5 && handWritten < 35, `hand-written agent-events: ${handWritten.toFixed(1)} KiB per VU`);
    assert.ok(ours - handWritten > 25, `ours ${ours.toFixed(1)} KiB against hand-written ${handWritten.toFixed(1)} KiB per VU`);
  });

  for (const scenario of ['agent-events', 'journey']) {
    it(`${scenario} keeps at most ${HEAP_PER_VU_CEILING_KIB} KiB per VU`, async () => {
      const kib = await heapPerVuKiB(bundlePath(scenario), NARROW, WIDE);
      assert.ok(kib <= HEAP_PER_VU_CEILING_KIB, `${scenario}: ${kib.toFixed(1)} KiB per VU, over ${HEAP_PER_VU_CEILING_KIB}`);
    });
  }
});
