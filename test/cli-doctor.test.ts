import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { provisionedK6 } from '../build/paths.ts';
import { CONTRACT_VERSION } from '../lib/protocol/version.ts';
import { runCli } from './support/cli.ts';
import { startRecordingServer } from './support/recording-server.ts';
import { spawnTarget } from './support/target.ts';

const lineFor = (stdout: string, name: string): string =>
  stdout.split('\n').find((line) => new RegExp(`^\\S+\\s+${name}\\s`).test(line)) ?? '';

describe('agent-sla doctor', () => {
  it('reports K6_BIN pointing at nothing, with the fix, and exits non-zero', async () => {
    const result = await runCli(['doctor'], { env: { K6_BIN: '/nonexistent/k6' } });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const k6 = lineFor(result.stdout, 'k6');
    assert.match(k6, /^FAIL\s+k6\s+K6_BIN=\/nonexistent\/k6 is not a runnable k6 -> fix: unset K6_BIN, or point it at a k6 binary$/);
    // Every other check still reports, one line each.
    for (const name of ['node', 'go', 'influxdb', 'port 8080', 'port 8086']) assert.notEqual(lineFor(result.stdout, name), '', name);
  });

  it('reports the provisioned k6 and a contract target as ok', async () => {
    const target = await spawnTarget();
    try {
      const result = await runCli(['doctor', '--target', target.url]);
      assert.match(lineFor(result.stdout, 'k6'), /^ok\s+k6\s+k6 v\d+\.\d+\.\d+ at /);
      assert.match(lineFor(result.stdout, 'target'), new RegExp(`^ok\\s+target\\s+${target.url} speaks ${CONTRACT_VERSION}`));
      // Warnings (no InfluxDB, a busy port) do not fail the doctor; only required checks do.
      assert.doesNotMatch(result.stdout, /^FAIL/m);
      assert.equal(result.code, 0, result.stdout);
    } finally {
      await target.stop();
    }
  });

  it('warns, with the fix, when the k6 in use is not the one setup built; that one through K6_BIN is ok', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-sla-other-k6-'));
    try {
      // A copy runs the same, but nothing says it was built from build/k6 as it is now, patches included.
      copyFileSync(provisionedK6, join(dir, 'k6'));
      const other = await runCli(['doctor'], { env: { K6_BIN: join(dir, 'k6') } });
      assert.match(lineFor(other.stdout, 'k6'), /^warn\s+k6\s+k6 v\d+\.\d+\.\d+ at \S+ \(from K6_BIN\) is not agent-sla's build: k6 as released has the first-frame race .* -> fix: unset K6_BIN and run `npm run setup`/);
      const ours = await runCli(['doctor'], { env: { K6_BIN: provisionedK6 } });
      assert.match(lineFor(ours.stdout, 'k6'), /^ok\s+k6\s+k6 v\d+\.\d+\.\d+ at \.tools\/bin\/k6 \(from K6_BIN\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a target that is not the contract, saying what it answered', async () => {
    const other = await startRecordingServer({ status: 'ok', contract: 'someone-else/7' });
    try {
      const result = await runCli(['doctor', '--target', other.url]);
      assert.equal(result.code, 1);
      assert.match(lineFor(result.stdout, 'target'), /^FAIL\s+target\s+.*reports contract "someone-else\/7".* -> fix: /);
    } finally {
      await other.close();
    }
  });
});
