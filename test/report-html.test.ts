import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { runReport } from '../cli/report/run-report.ts';
import { launchChromium, type Launched } from './support/chromium.ts';
import { startTestInflux, writeLines, type TestInflux } from './support/influx.ts';

const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let influx: TestInflux;
let launched: Launched | undefined;
before(async () => {
  influx = await startTestInflux();
});
after(async () => {
  await launched?.browser.close();
  await influx?.stop();
});

test('the HTML report renders in headless Chromium: table, one chart per SLA against its threshold, nothing fetched', async (t) => {
  // A machine where no Chromium starts fails here, with the reason: the report is never passed unrendered.
  launched = await launchChromium(chromiumArgs);
  const { browser } = launched;
  t.diagnostic(`chromium: ${launched.source}`);
  const start = Date.now() - 600_000;
  const points: string[] = [];
  for (let i = 0; i < 60; i++) {
    const t = start + i * 1000;
    points.push(`auth_duration,testid=html-1,scenario=journey,plan=pro value=${200 + (i % 7) * 40} ${t}`);
    points.push(`agent_response_duration,testid=html-1,scenario=journey,plan=pro value=${8_000 + (i % 11) * 900} ${t + 1}`);
    points.push(`agent_event_sequence_ok,testid=html-1,scenario=journey,plan=pro value=1 ${t + 2}`);
    // Seconds 20 to 29: the backend refuses every connection, an outage window; it answers otherwise.
    if (i >= 20 && i < 30) points.push(`agent_errors,testid=html-1,scenario=journey,plan=pro,kind=refused value=1 ${t + 3}`);
    else points.push(`http_reqs,testid=html-1,scenario=journey,status=200,name=x value=1 ${t + 3}`);
  }
  await writeLines(influx.url, 'k6', points);
  const outDir = mkdtempSync(join(tmpdir(), 'agent-sla-report-'));
  const { report, files } = await runReport({ testid: 'html-1', influxUrl: influx.url, windowMs: 10_000, outDir, print: () => undefined });

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const requested: string[] = [];
  page.on('request', (request) => { if (!request.url().startsWith('file://')) requested.push(request.url()); });
  await page.goto(pathToFileURL(files.html).href);
  assert.deepEqual(requested, [], 'the page is self-contained');
  assert.match(await page.locator('h1').innerText(), /SLA report: html-1\s+PASS/);
  assert.equal(await page.locator('table').first().locator('tbody tr').count(), report.slas.length);
  // A chart for each SLA with samples; the others are named as not measured.
  const charts = page.locator('svg.chart');
  const measured = report.slas.filter((entry) => entry.held !== undefined);
  assert.equal(measured.length, 3);
  assert.equal(await charts.count(), measured.length);
  assert.match(await page.locator('p.notes').first().innerText(), /^Not measured \(no samples, so no chart\): signup, .*billed exactly once/);
  // The outage (20.003 s to 30.003 s of 60) is one shaded band in every chart, a sixth of its width.
  assert.deepEqual(report.availability.windows.map((w) => [w.start - start, w.end - start]), [[20_003, 30_003]]);
  assert.equal(await page.locator('svg.chart rect.outage').count(), measured.length);
  const agentChart = charts.filter({ hasText: 'agent_response_duration' });
  assert.equal(await agentChart.locator('polyline').count(), 2, 'p95 and p99 series');
  assert.equal(await agentChart.locator('circle').count(), 2 * 6, 'one point per 10 s window per series');
  const threshold = await agentChart.locator('line.threshold').boundingBox();
  const series = await agentChart.locator('polyline').first().boundingBox();
  assert.ok(threshold && series && threshold.width > 0 && series.width > 0, 'threshold and series are drawn');
  assert.ok(series.y > threshold.y, 'the healthy p95 line sits below (drawn lower than) the 30 s threshold');
  const band = await agentChart.locator('rect.outage').boundingBox();
  assert.ok(band && Math.abs(band.width / threshold.width - 10 / 59) < 0.02, `the band is ${band?.width} px of a ${threshold.width} px axis`);
  const shot = process.env.REPORT_SCREENSHOT ?? join(outDir, 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.deepEqual([...readFileSync(shot).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(statSync(shot).size > 20_000, 'a real rendering, not a blank page');
  await page.close();
});

test('a Chromium that does not start is a failure with its reason, not a pass', async () => {
  await assert.rejects(
    launchChromium(chromiumArgs, { CHROMIUM_PATH: '/nonexistent/chromium', PATH: '' }, false),
    /^Error: no Chromium could be started: CHROMIUM_PATH \(\/nonexistent\/chromium\) did not start: .+; @sparticuz\/chromium not tried$/,
  );
});
