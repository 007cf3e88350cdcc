import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { repoRoot } from '../build/paths.ts';
import { heapPerVuKiB } from '../bench/support/vu-heap.ts';
import { bundlePath } from './support/k6.ts';

/**
 * Issue 15's guard on memory per VU, without a clock: the Go heap each VU keeps once its init has run
 * (k6 --paused, after a forced GC), which repeats to about 0.5 KiB. What it counts is the JavaScript each VU
 * keeps alive: functions, tables, closures and metrics (bench/RESULTS.md, benchmark 1).
 */

/**
 * agent-events measured 264.4 KiB and journey 265.1 with our k6 v2.2.0 build, whose sobek patch keeps a function's
 * `length` and `name` virtual (2026-11-27; 420.4 and 423.7 before it); a little headroom, no more.
 */
const HEAP_PER_VU_CEILING_KIB = 285;
const NARROW = 10;
const WIDE = 60;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('live heap per VU (issue 15)', () => {
  let port: number;
  before(async () => {
    port = await freePort();
  });

  it('tells a script that keeps little per VU from ours, so the ceiling below can fail', async () => {
    const handWritten = await heapPerVuKiB(join(repoRoot, 'bench', 'handwritten', 'agent-events.js'), NARROW, WIDE, port);
    const ours = await heapPerVuKiB(bundlePath('agent-events'), NARROW, WIDE, port);
    assert.ok(handWritten > 30 && handWritten < 150, `hand-written agent-events: ${handWritten.toFixed(1)} KiB per VU`);
    assert.ok(ours - handWritten > 150, `ours ${ours.toFixed(1)} KiB against hand-written ${handWritten.toFixed(1)} KiB per VU`);
  });

  for (const scenario of ['agent-events', 'journey']) {
    it(`${scenario} keeps at most ${HEAP_PER_VU_CEILING_KIB} KiB per VU`, async () => {
      const kib = await heapPerVuKiB(bundlePath(scenario), NARROW, WIDE, port);
      assert.ok(kib <= HEAP_PER_VU_CEILING_KIB, `${scenario}: ${kib.toFixed(1)} KiB per VU, over ${HEAP_PER_VU_CEILING_KIB}: see bench/RESULTS.md for what each VU holds`);
    });
  }
});
