import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, runK6 } from './support/k6.ts';
import { spawnTarget, type SpawnedTarget } from './support/target.ts';

/** docs/dialects.md's worked example (lib/dialects/examples/plain-json.ts) runs on agent-sla's engine against the reference target. */
describe('a dialect written in one file', () => {
  let target: SpawnedTarget;
  before(async () => {
    target = await spawnTarget({ dialect: 'envelope' });
  });
  after(() => target?.stop());

  const run = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialect-example-'));
    const result = await runK6(fixturePath('dialect-example'), { env: { BASE_URL: target.url, SUMMARY_DIR: dir, ITERATIONS: '2', VUS: '1' } });
    return { ...result, summary: JSON.parse(readFileSync(join(dir, 'sla-summary.json'), 'utf8')) as { slas: Array<{ id: string; ok: boolean; count: number }> } };
  };

  it('passes against a healthy backend and fails with 99 when a tool never completes', async () => {
    await target.setFaults('');
    const healthy = await run();
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    assert.ok(healthy.summary.slas.find((sla) => sla.id === 'sequence')!.count >= 2);
    await target.setFaults('drop-tool-completed');
    const broken = await run();
    assert.equal(broken.code, 99, broken.stdout + broken.stderr);
    assert.equal(broken.summary.slas.find((sla) => sla.id === 'sequence')!.ok, false);
  });
});
