import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { influxOutputArgs } from '../cli/influx-output.ts';
import { runReport } from '../cli/report/run-report.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/db.ts';
import { startTestInflux, type TestInflux } from './support/influx.ts';
import { bundlePath, runK6 } from './support/k6.ts';
import { spawnTarget, untilBilled, type SpawnedTarget } from './support/target.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each `<svg class="chart">` of the page with the number of points of its longest series. */
function charts(html: string): { title: string; points: number; shaded: number }[] {
  return [...html.matchAll(/<svg [^>]*class="chart"[^>]*aria-label="([^"]*)"[\s\S]*?<\/svg>/g)].map((m) => ({
    title: m[1]!,
    points: Math.max(0, ...[...m[0].matchAll(/<polyline points="([^"]*)"/g)].map((p) => p[1]!.trim().split(' ').length)),
    shaded: [...m[0].matchAll(/class="outage"/g)].length,
  }));
}

/**
 * Issue 14 on the report side, with real processes: a 40 s agent-events run streams to a real InfluxDB while its
 * target (on PostgreSQL) is killed and restarted on the same port. `agent-sla report` must find the outage in
 * InfluxDB as handleSummary found it from the VUs, and a 40 s run must get charts of several points.
 */
describe('agent-sla report of a 40 s run whose backend went down and came back', () => {
  let influx: TestInflux;
  let db: ThrowawayDatabase;
  const targets: SpawnedTarget[] = [];
  before(async () => {
    [influx, db] = await Promise.all([startTestInflux(), createThrowawayDatabase()]);
  });
  after(async () => {
    for (const target of targets) await target.stop();
    await db?.drop();
    await influx?.stop();
  });

  it('names the outage window, errors by kind and availability as the summary does, shades it, and charts every measured SLA with several points', async (t) => {
    const env = { TARGET_JWT_SECRET: randomBytes(24).toString('hex') };
    const first = await spawnTarget({ databaseUrl: db.url, env });
    targets.push(first);
    const port = Number(new URL(first.url).port);
    const testid = `restart-${Date.now()}`;
    const output = influxOutputArgs(influx.url, testid);
    const summaryDir = mkdtempSync(join(tmpdir(), 'report-restart-summary-'));
    const run = runK6(bundlePath('agent-events'), {
      env: { BASE_URL: first.url, SUMMARY_DIR: summaryDir, PROFILE: 'soak', DURATION: '40s', VUS: '10', BACKOFF_MAX_MS: '2000', RUNS_PER_SESSION: '1', PLANS: 'pro:1', ...output.env },
      args: output.args,
      timeoutMs: 150_000,
    });
    // The target goes down about 14 s into the load, timed from its first billed runs (the engine's start takes longer
    // on a busy machine), so that the SLAs are measured in more than one window before the outage.
    await untilBilled(first, 10);
    await sleep(12_000);
    process.kill(first.pid, 'SIGKILL');
    const downAt = Date.now();
    await sleep(6_000);
    targets.push(await spawnTarget({ databaseUrl: db.url, env, port }));
    const upAt = Date.now();
    const k6 = await run;
    // Every run whose session could not be opened while the target was down counts against "agent runs completed".
    assert.equal(k6.code, 99, `exit ${k6.code}\n${k6.stdout.slice(-2000)}\n${k6.stderr.slice(-2000)}`);
    const summary = JSON.parse(readFileSync(join(summaryDir, 'sla-summary.json'), 'utf8')) as {
      availability: { outage_windows: Array<{ start: string; end: string; kinds: string[] }>; availability: number; errors_by_kind: Record<string, number> };
    };
    // The end-of-test table and sla-summary.md carry the same lines.
    assert.match(k6.stdout, /^outage: .* → .*refused.*\n(?:.*\n)*(?:PASS|FAIL): /m);
    assert.match(readFileSync(join(summaryDir, 'sla-summary.md'), 'utf8'), /^- outage: .* → .*refused/m);

    const outDir = mkdtempSync(join(tmpdir(), 'report-restart-'));
    const { report, text, files } = await runReport({ testid, influxUrl: influx.url, outDir, print: () => undefined });

    // Without --window, a 40 s run is cut into 10 s windows.
    assert.equal(report.windowMs, 10_000);
    const [window, ...more] = report.availability.windows;
    assert.ok(window && more.length === 0, JSON.stringify(report.availability.windows));
    assert.ok(Math.abs(window.start - downAt) <= 1000, `window starts ${new Date(window.start).toISOString()}, the target died at ${new Date(downAt).toISOString()}`);
    assert.ok(Math.abs(window.end - upAt) <= 1000, `window ends ${new Date(window.end).toISOString()}, the target was back at ${new Date(upAt).toISOString()}`);
    assert.ok(window.kinds.includes('refused'), window.kinds.join());
    const fromVus = summary.availability.outage_windows[0]!;
    assert.ok(Math.abs(window.start - Date.parse(fromVus.start)) <= 1000 && Math.abs(window.end - Date.parse(fromVus.end)) <= 1000,
      `report ${new Date(window.start).toISOString()} → ${new Date(window.end).toISOString()}, summary ${fromVus.start} → ${fromVus.end}`);
    assert.deepEqual(report.availability.errorsByKind, summary.availability.errors_by_kind, 'every error k6 counted reached InfluxDB, by kind');
    assert.ok(Math.abs(report.availability.availability - summary.availability.availability) < 0.05,
      `report ${report.availability.availability}, summary ${summary.availability.availability}`);
    assert.match(text, /^backend availability: \d+\.\d\d% of the run \(1 outage window, \d+\.\d s\)$/m);
    assert.match(text, /^agent_errors: \d+ \(.*refused \d+/m);
    assert.match(readFileSync(files.markdown, 'utf8'), /^## Availability\n\nbackend availability: /m);

    const html = readFileSync(files.html, 'utf8');
    const drawn = charts(html);
    t.diagnostic(report.slas.map((entry) => `${entry.sla.key}: ${entry.windows.length} window(s)`).join(', '));
    const unmeasured = report.slas.filter((entry) => entry.held === undefined);
    // Sign-ups happen once per VU, at the start: measured, but in one window, which is a table row, not a chart.
    const single = report.slas.filter((entry) => entry.held !== undefined && entry.windows.length === 1);
    const charted = report.slas.filter((entry) => entry.windows.length > 1);
    assert.ok(charted.length >= 3 && unmeasured.length >= 1, `${charted.length} charted, ${unmeasured.length} not measured`);
    assert.ok(charted.some((entry) => entry.sla.key === 'agent'), 'agent response is charted');
    // One chart per SLA measured in several windows (and goodput); an SLA without samples has none and is listed as not measured.
    assert.equal(drawn.length, charted.length + ((report.goodput?.windows.length ?? 0) > 1 ? 1 : 0), drawn.map((c) => c.title).join('\n'));
    for (const entry of single) assert.match(html, new RegExp(`Measured in one 10\\.0 s window only, so no chart \\(see the table\\): [^<]*${entry.sla.title}`));
    for (const entry of unmeasured) assert.ok(!drawn.some((chart) => chart.title.includes(entry.sla.metric)), `${entry.sla.metric} charted without samples`);
    assert.match(html, new RegExp(`Not measured \\(no samples, so no chart\\): [^<]*${unmeasured[0]!.sla.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    for (const chart of drawn) {
      assert.ok(chart.points > 1, `${chart.title}: ${chart.points} point(s)`);
      assert.equal(chart.shaded, 1, `${chart.title}: the outage window is shaded`);
    }
  });
});
