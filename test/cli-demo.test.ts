import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../build/paths.ts';
import { runCli } from './support/cli.ts';

describe('npm start (the demo)', () => {
  it('runs the journey smoke profile against the embedded target and passes, with reports written', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = await runCli([], { command: [npm, 'start', '--silent'], timeoutMs: 600_000 });
    const reportsLine = /^reports: (reports\/[^/\s]+)\//m.exec(result.stdout);
    const dir = reportsLine?.[1] ? join(repoRoot, reportsLine[1]) : undefined;
    try {
      assert.equal(result.code, 0, `stdout:\n${result.stdout.slice(-3000)}\nstderr:\n${result.stderr.slice(-3000)}`);
      assert.match(result.stdout, /^verdict: PASS/m);
      assert.ok(dir, `no reports line in:\n${result.stdout}`);
      for (const file of ['junit.xml', 'sla-summary.json', 'sla-summary.md']) assert.ok(existsSync(join(dir, file)), `${file} missing`);
      assert.match(readFileSync(join(dir, 'junit.xml'), 'utf8'), /<testsuite/);
      assert.match(result.stderr, /reference target on http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
});
