import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { runReport } from '../cli/report/run-report.ts';
import { startTestInflux, writeLines, type TestInflux } from './support/influx.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let influx: TestInflux;
let browser: Browser;
before(async () => {
  influx = await startTestInflux();
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});
after(async () => {
  await browser?.close();
  await influx?.stop();
});

test('the HTML report renders in headless Chromium: table, one chart per SLA against its threshold, nothing fetched', async () => {
  const start = Date.now() - 600_000;
  const points: string[] = [];
  for (let i = 0; i < 60; i++) {
    const t = start + i * 1000;
    points.push(`auth_duration,testid=html-1,scenario=journey,plan=pro value=${200 + (i % 7) * 40} ${t}`);
    points.push(`agent_response_duration,testid=html-1,scenario=journey,plan=pro value=${8_000 + (i % 11) * 900} ${t + 1}`);
    points.push(`agent_event_sequence_ok,testid=html-1,scenario=journey,plan=pro value=1 ${t + 2}`);
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
  const charts = page.locator('svg.chart');
  assert.equal(await charts.count(), report.slas.length);
  const agentChart = charts.filter({ hasText: 'agent_response_duration' });
  assert.equal(await agentChart.locator('polyline').count(), 2, 'p95 and p99 series');
  assert.equal(await agentChart.locator('circle').count(), 2 * 6, 'one point per 10 s window per series');
  const threshold = await agentChart.locator('line.threshold').boundingBox();
  const series = await agentChart.locator('polyline').first().boundingBox();
  assert.ok(threshold && series && threshold.width > 0 && series.width > 0, 'threshold and series are drawn');
  assert.ok(series.y > threshold.y, 'the healthy p95 line sits below (drawn lower than) the 30 s threshold');
  const shot = process.env.REPORT_SCREENSHOT ?? join(outDir, 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.deepEqual([...readFileSync(shot).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(statSync(shot).size > 20_000, 'a real rendering, not a blank page');
  await page.close();
});
