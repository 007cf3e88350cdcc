import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { k6ModuleDir } from '../build/paths.ts';

/** Our k6 extensions (build/k6: k6/x/sse, k6/x/ledger) have Go tests of their own; they run here, offline. */
describe('k6 extensions: go test', () => {
  it('passes for every package of build/k6', () => {
    const result = spawnSync('go', ['test', './...'], {
      cwd: k6ModuleDir,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local' },
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    for (const pkg of ['build/k6/sse', 'build/k6/ledger']) assert.match(result.stdout, new RegExp(`ok\\s+agent-sla/${pkg}`), result.stdout);
  });
});
