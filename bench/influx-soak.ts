// InfluxDB soak: the journey scenario at moderate load for SOAK_DURATION (default 10m) on agent-sla's engine (in
// this process, test/support/k6.ts) against a spawned target, streamed to a fresh local InfluxDB with the CLI's
// settings; then the report. Prints points written, InfluxDB disk used, report time, and whether the engine's
// InfluxDB output warned: a write slower than the push interval, or samples not stored.
//   npm run bench:soak            (SOAK_DURATION=10m SOAK_VUS=10 SOAK_AGENT_TIME_SCALE=0.5)
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDurationMs } from '../lib/duration.ts';
import { runReport } from '../cli/report/run-report.ts';
import { influxOutputArgs } from '../cli/influx-output.ts';
import { bundlePath, runK6 } from '../test/support/k6.ts';
import { startTestInflux } from '../test/support/influx.ts';
import { spawnTarget } from '../test/support/target.ts';

const duration = process.env.SOAK_DURATION ?? '10m';
const vus = process.env.SOAK_VUS ?? '10';
const testid = `soak-${Date.now()}`;
const influx = await startTestInflux();
const target = await spawnTarget({ env: { TARGET_AGENT_TIME_SCALE: process.env.SOAK_AGENT_TIME_SCALE ?? '0.5' } });
try {
  const output = influxOutputArgs(influx.url, testid);
  const started = Date.now();
  const run = await runK6(bundlePath('journey'), {
    env: { BASE_URL: target.url, PROFILE: 'soak', DURATION: duration, VUS: vus, SUMMARY_DIR: mkdtempSync(join(tmpdir(), 'soak-')), ...output.env },
    args: output.args,
    // The test stops by itself at the profile's end; the timeout is only a bound against a hang.
    timeoutMs: (parseDurationMs(duration) ?? 0) + 10 * 60_000,
  });
  const engineWallSeconds = (Date.now() - started) / 1000;
  const flushWarnings = (run.stderr.match(/a write took \d+ms, longer than the push interval/g) ?? []).length;
  const writeErrors = (run.stderr.match(/samples were not stored|its samples will be lost/g) ?? []).length;
  const reportStarted = performance.now();
  const { report } = await runReport({ testid, influxUrl: influx.url, outDir: mkdtempSync(join(tmpdir(), 'soak-report-')), print: () => undefined });
  const reportMs = performance.now() - reportStarted;
  // influxd flushes its WAL into TSM files on its own schedule; measure both.
  const du = execFileSync('du', ['-sk', join(influx.dataDir, 'data'), join(influx.dataDir, 'wal')], { encoding: 'utf8' });
  console.log(JSON.stringify({
    testid, date: new Date().toISOString(), duration, vus, engineExit: run.code, engineSeconds: engineWallSeconds, flushWarnings, writeErrors,
    points: report.run.points, pointsPerSecond: Math.round(report.run.points / report.run.durationS),
    disk: du.trim().split('\n').map((line) => line.replace(/\s+.*\//, ' ')),
    reportMs: Math.round(reportMs), verdict: report.verdict,
    p95: Object.fromEntries(report.slas.map((s) => [s.sla.key, s.stats.kind === 'latency' ? s.stats.p95 : s.stats.rate])),
    engineP95: Object.fromEntries(['signup_duration', 'auth_duration', 'agent_response_duration'].map((m) => [m, run.summary?.metrics[m]?.['p(95)']])),
  }, null, 2));
} finally {
  await target.stop();
  await influx.stop();
}
