import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../build/paths.ts';

function runSetup(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'build', 'provision-k6.ts')], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('foundation: k6 provisioning errors', () => {
  it('names both fixes in one line when there is neither a k6 nor a Go', () => {
    const emptyTools = mkdtempSync(join(tmpdir(), 'agent-sla-tools-'));
    try {
      // PATH keeps only node's own directory: no k6 and no go there on this machine.
      const result = runSetup({ PATH: dirname(process.execPath), HOME: process.env.HOME, AGENT_SLA_TOOLS_DIR: emptyTools });
      assert.notEqual(result.status, 0);
      const lines = result.stderr.trim().split('\n').filter((line) => !line.startsWith('npm warn'));
      assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
      assert.match(lines[0] ?? '', /install k6 >= 1\.6\.0 \(or set K6_BIN=/);
      assert.match(lines[0] ?? '', /or install Go >= 1\.25/);
    } finally {
      rmSync(emptyTools, { recursive: true, force: true });
    }
  });

  it('refuses a K6_BIN that is not k6, in one line, without touching the provisioned binary', () => {
    const result = runSetup({ ...process.env, K6_BIN: '/nonexistent/k6' });
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), 'setup: K6_BIN=/nonexistent/k6 is not a runnable k6: unset K6_BIN, or point it at a k6 binary');
  });
});
