import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { bundlePath, runK6 } from './support/k6.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/db.ts';
import { spawnTarget, untilBilled, type SpawnedTarget } from './support/target.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Point { metric: string; type: string; data: { time: string; value: number; tags: Record<string, string> } }

/** The samples of a `--out json` file: its "Point" lines. */
function points(file: string): Point[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Point).filter((line) => line.type === 'Point');
}

/**
 * The backend goes down mid-run and comes back. A target on PostgreSQL is killed and restarted on the same port
 * with the same JWT secret, while the engine runs agent-events against it.
 */
describe('a backend that goes down and comes back', () => {
  let db: ThrowawayDatabase;
  const targets: SpawnedTarget[] = [];
  before(async () => {
    db = await createThrowawayDatabase();
  });
  after(async () => {
    for (const target of targets) await target.stop();
    await db?.drop();
  });

  it('fails the run with 99, backs off while it is down, and completes and bills runs after it returns', async () => {
    const env = { TARGET_JWT_SECRET: randomBytes(24).toString('hex') };
    const first = await spawnTarget({ databaseUrl: db.url, env });
    targets.push(first);
    const port = Number(new URL(first.url).port);
    const vus = 10;
    const summaryDir = mkdtempSync(join(tmpdir(), 'restart-summary-'));
    const out = join(mkdtempSync(join(tmpdir(), 'restart-')), 'points.json');
    const run = runK6(bundlePath('agent-events'), {
      env: { BASE_URL: first.url, SUMMARY_DIR: summaryDir, PROFILE: 'soak', DURATION: '18s', VUS: String(vus), BACKOFF_MAX_MS: '2000', RUNS_PER_SESSION: '1', PLANS: 'pro:1' },
      args: ['--out', `json=${out}`],
      timeoutMs: 120_000,
    });

    // The target goes down once the load is under way (the engine's start takes longer on a busy machine).
    await untilBilled(first, vus);
    process.kill(first.pid, 'SIGKILL');
    const downAt = Date.now();
    await sleep(5_000);
    const second = await spawnTarget({ databaseUrl: db.url, env, port });
    targets.push(second);
    const upAt = Date.now();
    const result = await run;
    assert.equal(result.code, 99, `exit ${result.code}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);

    const all = points(out);
    const at = (point: Point) => Date.parse(point.data.time);
    const during = (point: Point) => at(point) > downAt + 500 && at(point) < upAt - 500;
    const outageSeconds = (upAt - downAt) / 1000;
    const attempts = all.filter((point) => point.metric === 'iterations' && during(point)).length;
    assert.ok(attempts <= vus * (outageSeconds / 0.5 + 2), `${attempts} iterations in a ${outageSeconds.toFixed(1)} s outage: the VUs did not back off`);
    const refused = all.filter((point) => point.metric === 'agent_errors' && during(point));
    assert.ok(refused.length > 0 && refused.every((point) => ['refused', 'reset', 'network', 'timeout'].includes(point.data.tags.kind!)), JSON.stringify(refused.slice(0, 3)));
    const completedAfter = all.filter((point) => point.metric === 'agent_runs_completed' && at(point) > upAt + 1_000).length;
    assert.ok(completedAfter > 0, 'no session completed after the restart');

    // The summary names the outage window, within a second of the real one, and the errors by kind.
    const summary = JSON.parse(readFileSync(join(summaryDir, 'sla-summary.json'), 'utf8')) as {
      availability: { outage_windows: Array<{ start: string; end: string; kinds: string[] }>; availability: number; errors_by_kind: Record<string, number> };
    };
    const windows = summary.availability.outage_windows;
    assert.equal(windows.length, 1, JSON.stringify(windows));
    assert.ok(Math.abs(Date.parse(windows[0]!.start) - downAt) <= 1000, `window starts ${windows[0]!.start}, the target died at ${new Date(downAt).toISOString()}`);
    assert.ok(Math.abs(Date.parse(windows[0]!.end) - upAt) <= 1000, `window ends ${windows[0]!.end}, the target was back at ${new Date(upAt).toISOString()}`);
    assert.ok(summary.availability.availability > 0.3 && summary.availability.availability < 0.9, String(summary.availability.availability));
    assert.ok((summary.availability.errors_by_kind.refused ?? 0) > 0, JSON.stringify(summary.availability.errors_by_kind));
    assert.match(result.stdout, /outage: .* → .*refused/);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const unbilled = await client.query(`SELECT count(*)::int AS n FROM runs r WHERE r.status = 'completed' AND NOT EXISTS (SELECT 1 FROM billing_records b WHERE b.run_id = r.id)`);
      const twice = await client.query(`SELECT count(*)::int AS n FROM (SELECT run_id FROM billing_records GROUP BY run_id HAVING count(*) > 1) t`);
      const completed = await client.query(`SELECT count(*)::int AS n FROM runs WHERE status = 'completed'`);
      assert.ok(completed.rows[0].n > 0);
      assert.equal(unbilled.rows[0].n, 0, 'a completed run has no billing record');
      assert.equal(twice.rows[0].n, 0, 'a run was billed twice');
    } finally {
      await client.end();
    }
  });
});
