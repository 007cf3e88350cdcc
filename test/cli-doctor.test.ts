import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONTRACT_VERSION } from '../lib/protocol/version.ts';
import { runCli } from './support/cli.ts';
import { startRecordingServer } from './support/recording-server.ts';
import { spawnTarget } from './support/target.ts';

const lineFor = (stdout: string, name: string): string =>
  stdout.split('\n').find((line) => new RegExp(`^\\S+\\s+${name}\\s`).test(line)) ?? '';

describe('agent-sla doctor', () => {
  it('reports the engine and a contract target as ok, and asks for no k6', async () => {
    const target = await spawnTarget();
    try {
      const result = await runCli(['doctor', '--target', target.url], { env: { K6_BIN: '' } });
      assert.match(lineFor(result.stdout, 'engine'), /^ok\s+engine\s+agent-sla engine \S+: VU runtime at \S+, \d+ worker threads by default$/);
      assert.equal(lineFor(result.stdout, 'k6'), '', 'no k6 line when K6_BIN names none');
      assert.match(lineFor(result.stdout, 'target'), new RegExp(`^ok\\s+target\\s+${target.url} speaks ${CONTRACT_VERSION}`));
      // Warnings (no InfluxDB, a busy port) do not fail the doctor; only required checks do.
      assert.doesNotMatch(result.stdout, /^FAIL/m);
      assert.equal(result.code, 0, result.stdout);
    } finally {
      await target.stop();
    }
  });

  it('reports K6_BIN pointing at nothing, with the fix, and exits non-zero', async () => {
    const result = await runCli(['doctor'], { env: { K6_BIN: '/nonexistent/k6' } });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(lineFor(result.stdout, 'k6'), /^FAIL\s+k6\s+K6_BIN=\/nonexistent\/k6 is not an executable file -> fix: unset K6_BIN to run on agent-sla's engine, or point it at your own k6$/);
    // Every other check still reports, one line each.
    for (const name of ['node', 'engine', 'go', 'influxd', 'influxdb', 'port 8080', 'port 8086']) assert.notEqual(lineFor(result.stdout, name), '', name);
  });

  it("names the user's own k6 from K6_BIN, with its version, as the one `run` uses", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-sla-user-k6-'));
    try {
      // Stands in for a k6 release: doctor only asks it for its version.
      const k6 = join(dir, 'k6');
      writeFileSync(k6, '#!/bin/sh\necho "k6 v1.4.2 (go1.25.1, linux/amd64)"\n');
      chmodSync(k6, 0o755);
      const result = await runCli(['doctor'], { env: { K6_BIN: k6 } });
      assert.match(lineFor(result.stdout, 'k6'), new RegExp(`^ok\\s+k6\\s+your k6 v1\\.4\\.2 at ${k6} \\(K6_BIN\\): \`run\` uses it instead of the engine$`));
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
