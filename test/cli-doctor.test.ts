import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTRACT_VERSION } from '../cli/contract.ts';
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
