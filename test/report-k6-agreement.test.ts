import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runReport, type ReportOutcome } from '../cli/report/run-report.ts';
import { bundlePath } from './support/k6.ts';
import { runIntoInflux, runMetricsFixture, startTestInflux, type MetricsRun, type TestInflux } from './support/influx.ts';

let influx: TestInflux;
let healthy: MetricsRun;
let slow: MetricsRun;
let journey: MetricsRun;
before(async () => {
  influx = await startTestInflux();
  healthy = await runMetricsFixture(influx.url, 'report-healthy', { VUS: '3', ITERATIONS: '24' });
  // 20× slower agents: a regression the diff must name, far outside any scheduling noise.
  slow = await runMetricsFixture(influx.url, 'report-slow', { VUS: '3', ITERATIONS: '12' }, 'slow-agents:20');
  // The bundled journey scenario, as users run it (smoke profile), through the real lib/.
  journey = await runIntoInflux(bundlePath('journey'), influx.url, 'report-journey', { PROFILE: 'smoke', ITERATIONS: '8', VUS: '2' });
});
after(async () => influx?.stop());

const quiet = { print: () => undefined };
const outDir = () => mkdtempSync(join(tmpdir(), 'agent-sla-report-'));

function k6Stat(run: MetricsRun, metric: string, stat: string): number {
  const value = run.k6.summary?.metrics[metric]?.[stat];
  assert.equal(typeof value, 'number', `k6 summary has ${metric} ${stat}`);
  return value as number;
}

test('the runs streamed to InfluxDB and k6 exited cleanly', () => {
  assert.equal(healthy.k6.code, 0, healthy.k6.stderr);
  assert.doesNotMatch(healthy.k6.stderr, /Couldn't write stats|flush operation took higher/);
});

test('report p95 per latency SLA agrees with k6 summary within 1 %, rates exactly', async () => {
  const { report }: ReportOutcome = await runReport({ testid: 'report-healthy', influxUrl: influx.url, outDir: outDir(), windowMs: 1000, ...quiet });
  assert.equal(report.verdict, 'pass');
  for (const entry of report.slas) {
    if (entry.stats.kind === 'latency') {
      const expected = k6Stat(healthy, entry.sla.metric, 'p(95)');
      assert.ok(entry.stats.p95 !== undefined, `${entry.sla.metric} has a p95`);
      const gap = Math.abs(entry.stats.p95 - expected) / expected;
      assert.ok(gap <= 0.01, `${entry.sla.metric}: report ${entry.stats.p95} vs k6 ${expected} (${(gap * 100).toFixed(2)} %)`);
      assert.equal(entry.stats.count > 0, true);
    } else {
      assert.equal(entry.stats.rate, k6Stat(healthy, entry.sla.metric, 'value'), entry.sla.metric);
    }
    assert.equal(entry.held, true, `${entry.sla.title} held`);
    assert.ok(entry.compliance.windows >= 1);
  }
});

test('report p95 agrees with k6 for the bundled journey scenario too', async () => {
  assert.equal(journey.k6.code, 0, journey.k6.stderr.slice(-1000));
  const { report } = await runReport({ testid: 'report-journey', influxUrl: influx.url, outDir: outDir(), ...quiet });
  const measured = report.slas.filter((entry) => entry.stats.kind === 'latency' && entry.stats.count > 0);
  assert.ok(measured.length >= 3, `latency SLAs with samples: ${measured.map((e) => e.sla.key)}`);
  for (const entry of measured) {
    const p95 = entry.stats.kind === 'latency' ? entry.stats.p95! : Number.NaN;
    const expected = k6Stat(journey, entry.sla.metric, 'p(95)');
    assert.ok(Math.abs(p95 - expected) / expected <= 0.01, `${entry.sla.metric}: report ${p95} vs k6 ${expected}`);
  }
});

test('a slowed run fails the tightened agent SLAs and the diff against the healthy baseline names the regression', async () => {
  const sla = { agent: 1500, orchestration: 1500 };
  const base = await runReport({ testid: 'report-healthy', influxUrl: influx.url, outDir: outDir(), sla, ...quiet });
  assert.equal(base.report.verdict, 'pass');
  const { report, text } = await runReport({ testid: 'report-slow', baseline: 'report-healthy', influxUrl: influx.url, outDir: outDir(), sla, ...quiet });
  assert.equal(report.verdict, 'fail');
  const byKey = new Map(report.slas.map((entry) => [entry.sla.key, entry]));
  assert.equal(byKey.get('agent')?.held, false);
  assert.equal(byKey.get('orchestration')?.held, false);
  assert.equal(byKey.get('signup')?.held, true);
  const regressed = report.baseline?.rows.filter((row) => row.regressed).map((row) => row.key).sort();
  assert.ok(regressed?.includes('agent') && regressed.includes('orchestration'), `regressions: ${regressed}`);
  assert.match(text, /against baseline report-healthy: \d+ regression/);
  assert.match(text, /agent response .*FAIL/);
  assert.equal(k6Stat(slow, 'agent_response_duration', 'p(95)') > 1500, true, 'the fault really slowed the agents');
});

test('an unknown testid is a one-line error, not an empty report', async () => {
  await assert.rejects(runReport({ testid: 'never-ran', influxUrl: influx.url, outDir: outDir(), ...quiet }), /no samples with testid "never-ran"/);
  await assert.rejects(runReport({ testid: 'bad id!', influxUrl: influx.url, ...quiet }), /--testid: "bad id!" is not a test id/);
});
