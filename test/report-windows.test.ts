import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
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
  assert.match(text, /signup .* 75\.0 % of 4 .*FAIL/);
  const json = JSON.parse(readFileSync(files.json, 'utf8')) as typeof report;
  assert.equal(json.slas.find((entry) => entry.sla.key === 'signup')?.compliance.share, 0.75);
  assert.match(readFileSync(files.markdown, 'utf8'), /\| signup \| signup_duration \| p95 < 10\.0 s \|/);
});
