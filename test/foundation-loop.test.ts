import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../build/paths.ts';
import { typecheck } from '../build/typecheck.ts';
import { startEchoServer, type EchoServer } from './support/echo-server.ts';
import { fixturePath, runK6, thresholdsFailedExitCode } from './support/k6.ts';

describe("foundation: a bundled TypeScript scenario, run by agent-sla's engine, against a real server", () => {
  let server: EchoServer;
  before(async () => {
    server = await startEchoServer();
  });
  after(() => server.close());

  it('exits 0 when the server meets the threshold, with the custom Trend in the summary', async () => {
    const result = await runK6(fixturePath('round-trip'), {
      env: { BASE_URL: server.url, DELAY_MS: '0', ROUND_TRIP_P95_MS: '5000' },
    });
    assert.equal(result.code, 0, result.stderr);
    const trend = result.summary?.metrics.round_trip_duration;
    assert.ok(trend, 'round_trip_duration missing from the summary');
    assert.equal(typeof trend['p(95)'], 'number');
    assert.deepEqual(trend.thresholds, { 'p(95)<5000': false }, 'summary-export marks a crossed threshold true');
    assert.equal(result.summary?.metrics.iterations?.count, 6);
  });

  it('exits 99 when the server misses the threshold, and the Trend shows why', async () => {
    const delayMs = 150;
    const result = await runK6(fixturePath('round-trip'), {
      env: { BASE_URL: server.url, DELAY_MS: String(delayMs), ROUND_TRIP_P95_MS: '100' },
    });
    assert.equal(result.code, thresholdsFailedExitCode, result.stderr);
    assert.match(result.stderr, /thresholds on metrics 'round_trip_duration' have been crossed/);
    const trend = result.summary?.metrics.round_trip_duration;
    assert.ok(trend);
    // One HTTP delay plus one WebSocket delay per iteration: the Trend must have measured both.
    assert.ok((trend.min as number) >= 2 * delayMs, `min ${String(trend.min)} ms is below the server's delay`);
    assert.deepEqual(trend.thresholds, { 'p(95)<100': true });
  });

  it('maps an exception inside a VU back to the TypeScript line', async () => {
    const result = await runK6(fixturePath('throws'));
    assert.match(result.stderr, /reading must be positive, got -1/);
    assert.match(result.stderr, /test\/fixtures\/k6\/throws\.ts:9:/);
  });

  it('fails the type check with the TypeScript message on a deliberate type error', async () => {
    const dir = mkdtempSync(join(repoRoot, 'test', '.typecheck-'));
    try {
      writeFileSync(join(dir, 'bad.ts'), "import { Trend } from 'k6/metrics';\nconst t = new Trend('x');\nt.add('not a number');\n");
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../../tsconfig.k6.json', include: ['bad.ts'] }),
      );
      const errors = await typecheck([join(dir, 'tsconfig.json')]);
      assert.match(errors, /bad\.ts\(3,7\): error TS2345: Argument of type '"not a number"' is not assignable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
