import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultWindowMs } from '../cli/report/report-window.ts';
import { runReport } from '../cli/report/run-report.ts';
import { startTestInflux, writeLines, type TestInflux } from './support/influx.ts';

let influx: TestInflux;
before(async () => (influx = await startTestInflux()));
after(async () => influx?.stop());

// Four 10-second windows of known samples; the third window's signups are slow, the fourth window bills half.
const windowMs = 10_000;
const start = Math.floor((Date.now() - 3_600_000) / windowMs) * windowMs + 1_234;
function lines(testid: string): string[] {
  const out: string[] = [];
  for (let window = 0; window < 4; window++) {
    for (let i = 0; i < 10; i++) {
      const t = start + window * windowMs + i * 500;
      out.push(`signup_duration,testid=${testid},scenario=soak,plan=free value=${window === 2 ? 20_000 + i : 100 + i} ${t}`);
      out.push(`billing_reconciled,testid=${testid},scenario=soak,plan=free value=${window === 3 && i % 2 === 0 ? 0 : 1} ${t + 1}`);
      out.push(`iterations,testid=${testid},scenario=soak value=1 ${t + 2}`);
    }
  }
  return out;
}

test('window compliance counts the windows where each SLA held, from InfluxDB GROUP BY time', async () => {
  await writeLines(influx.url, 'k6', lines('windows-1'));
  const outDir = mkdtempSync(join(tmpdir(), 'agent-sla-report-'));
  const { report, text, files } = await runReport({ testid: 'windows-1', influxUrl: influx.url, windowMs, outDir, print: () => undefined });
  const signup = report.slas.find((entry) => entry.sla.key === 'signup')!;
  const billing = report.slas.find((entry) => entry.sla.key === 'billing')!;
  assert.deepEqual(signup.windows.map((w) => w.held), [true, true, false, true]);
  assert.deepEqual(signup.compliance, { windows: 4, held: 3, share: 0.75 });
  assert.deepEqual(billing.windows.map((w) => w.rate), [1, 1, 1, 0.5]);
  assert.deepEqual(billing.compliance, { windows: 4, held: 3, share: 0.75 });
  assert.equal(signup.windows[0]?.start, start, 'windows are aligned to the first sample');
  // Whole run: 10 of 40 signups are slow, so p95 is slow; 5 of 40 billing checks failed.
  assert.equal(signup.held, false);
  assert.equal(billing.stats.kind === 'rate' && billing.stats.rate, 35 / 40);
  assert.equal(report.verdict, 'fail');
  assert.equal(report.run.points, 120);
  assert.deepEqual(report.run.scenarios, ['soak']);
  // SLAs the run has no samples for are reported, not judged.
  assert.equal(report.slas.find((entry) => entry.sla.key === 'agent')?.held, undefined);
  assert.match(text, /signup .* 75\.0% of 4 .*FAIL/);
  // Billing is exact: the fourth window's 50 % fails it, and the whole run's 87.5 % too.
  assert.equal(billing.held, false);
  assert.match(text, /^agent response .* not measured$/m);
  const json = JSON.parse(readFileSync(files.json, 'utf8')) as typeof report;
  assert.equal(json.slas.find((entry) => entry.sla.key === 'signup')?.compliance.share, 0.75);
  assert.match(readFileSync(files.markdown, 'utf8'), /\| signup \| signup_duration \| p95 < 10\.0 s \|/);
});

// Agent runs in four 10-second windows: enterprise answers in 2 s, free in 100 ms; goodput 10, 10, 5, 0 runs per window.
function planLines(testid: string): string[] {
  const out: string[] = [];
  for (let window = 0; window < 4; window++) {
    for (let i = 0; i < 10; i++) {
      const t = start + window * windowMs + i * 500;
      const plan = i % 2 === 0 ? 'enterprise' : 'free';
      out.push(`agent_response_duration,testid=${testid},scenario=agents,plan=${plan} value=${plan === 'enterprise' ? 2_000 + i : 100 + i} ${t}`);
      out.push(`agent_runs_completed,testid=${testid},scenario=agents,plan=${plan} value=1 ${t + 1}`);
      if (window < 2 || (window === 2 && i % 2 === 1)) out.push(`agent_goodput_runs,testid=${testid},scenario=agents,plan=${plan} value=1 ${t + 2}`);
    }
  }
  return out;
}

test("a plan with its own bound gets a row of its own, judged on that plan's samples in every window; goodput per window", async () => {
  await writeLines(influx.url, 'k6', planLines('plans-1'));
  const outDir = mkdtempSync(join(tmpdir(), 'agent-sla-report-'));
  const tight = await runReport({ testid: 'plans-1', influxUrl: influx.url, windowMs, outDir, sla: { agent: 30_000, 'agent.enterprise': 1_500 }, print: () => undefined });
  const agentRows = tight.report.slas.filter((entry) => entry.sla.key === 'agent');
  assert.deepEqual(agentRows.map((entry) => [entry.sla.kind === 'latency' && entry.sla.plan, entry.sla.kind === 'latency' && entry.sla.p95BelowMs, entry.held]), [
    [undefined, 30_000, true],
    ['enterprise', 1_500, false],
  ]);
  const enterprise = agentRows[1]!;
  assert.equal(enterprise.stats.count, 20, "only enterprise's samples");
  assert.deepEqual(enterprise.windows.map((w) => w.held), [false, false, false, false]);
  assert.equal(tight.report.verdict, 'fail');
  assert.match(tight.text, /^agent response \[plan:enterprise\]\s+agent_response_duration\s+p95 < 1\.50 s \(own\) .* 0\.0% of 4\s+FAIL$/m);
  assert.match(tight.text, /^agent response\s+agent_response_duration\s+p95 < 30\.0 s .*PASS$/m);
  assert.match(readFileSync(tight.files.markdown, 'utf8'), /\| agent response \[plan:enterprise\] \| agent_response_duration \| p95 < 1\.50 s \(own\) \|/);
  assert.match(readFileSync(tight.files.html, 'utf8'), /SLA p95 &lt; 1\.50 s \(enterprise's own\)/);

  // Goodput: 25 of 40 runs, in 10, 10, 5 and 0 per 10-second window.
  const goodput = tight.report.goodput!;
  assert.equal(goodput.runs, 25);
  assert.equal(goodput.completed, 40);
  assert.deepEqual(goodput.windows.map((w) => w.goodputPerS), [1, 1, 0.5, 0]);
  assert.deepEqual(goodput.windows.map((w) => w.completedPerS), [1, 1, 1, 1]);
  assert.match(tight.text, /^goodput: \d\.\d\d runs\/s \(of \d\.\d\d completed\/s\); lowest 10\.0 s window 0\.00 runs\/s \(4 windows\)$/m);

  const loose = await runReport({ testid: 'plans-1', influxUrl: influx.url, windowMs, outDir, sla: { 'agent.enterprise': 5_000 }, print: () => undefined });
  const looseEnterprise = loose.report.slas.find((entry) => entry.sla.kind === 'latency' && entry.sla.plan === 'enterprise')!;
  assert.equal(looseEnterprise.held, true);
  assert.deepEqual(looseEnterprise.windows.map((w) => w.held), [true, true, true, true]);
  // Without a plan's own bound there is no plan row.
  const none = await runReport({ testid: 'plans-1', influxUrl: influx.url, windowMs, outDir, print: () => undefined });
  assert.deepEqual(none.report.slas.filter((entry) => entry.sla.key === 'agent').length, 1);
});

test('without --window, the window cuts the run into 30 to 60, never shorter than 10 s', () => {
  const s = 1000;
  // Short runs: 10 s, so a 40 s run has four points per chart, not one.
  assert.equal(defaultWindowMs(40 * s), 10 * s);
  assert.equal(defaultWindowMs(3 * s), 10 * s);
  assert.equal(defaultWindowMs(600 * s), 10 * s);
  assert.equal(defaultWindowMs(601 * s), 15 * s);
  assert.equal(defaultWindowMs(3600 * s), 60 * s);
  assert.equal(defaultWindowMs(24 * 3600 * s), 30 * 60 * s);
  for (let runS = 300; runS <= 7 * 24 * 3600; runS = Math.ceil(runS * 1.13)) {
    const windows = Math.ceil((runS * s) / defaultWindowMs(runS * s));
    assert.ok(windows >= 30 && windows <= 60, `${runS} s: ${windows} windows`);
  }
});

test('a report without --window picks its window from the run: 40 s of samples get 10 s windows', async () => {
  await writeLines(influx.url, 'k6', lines('windows-default'));
  const { report } = await runReport({ testid: 'windows-default', influxUrl: influx.url, outDir: mkdtempSync(join(tmpdir(), 'agent-sla-report-')), print: () => undefined });
  assert.equal(report.windowMs, 10_000);
  assert.equal(report.slas.find((entry) => entry.sla.key === 'signup')!.windows.length, 4);
});
