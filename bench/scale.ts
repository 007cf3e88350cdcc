// Benchmark 3: how many concurrent agent sessions k6 and the target hold together on this machine. The agent-events
// scenario under the stress profile ramps to SCALE_VUS virtual users; each holds one authenticated WebSocket and sends
// a message every THINK_TIME_MS, streaming to a local InfluxDB. Every 5 s it samples the sockets the target holds and
// the CPU and memory of k6 and the target; at the end it counts errors and k6's InfluxDB flush warnings.
//   npm run bench:scale      (SCALE_VUS=1000 SCALE_DURATION=4m SCALE_THINK_MS=30000)
// The stress profile's stages scale to the duration: ramp to half for ¼, to full for ¼, hold ⅜, ramp down ⅛.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { influxOutputArgs } from '../cli/influx-output.ts';
import { parseDurationMs } from '../cli/duration.ts';
import { startTestInflux } from '../test/support/influx.ts';
import { bundlePath, k6Binary } from '../test/support/k6.ts';
import { spawnTarget } from '../test/support/target.ts';
import { runMeasured } from './support/run-measured.ts';
import { trackUsage } from './support/process-usage.ts';

const vus = Number(process.env.SCALE_VUS ?? 1000);
const duration = process.env.SCALE_DURATION ?? '4m';
const thinkMs = Number(process.env.SCALE_THINK_MS ?? 30_000);
const durationMs = parseDurationMs(duration);
if (!durationMs || !(vus > 0) || !(thinkMs >= 0)) throw new Error('SCALE_VUS, SCALE_DURATION and SCALE_THINK_MS must be positive');

const workDir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
const influx = await startTestInflux();
const target = await spawnTarget({
  env: { TARGET_AGENT_TIME_SCALE: process.env.SCALE_AGENT_TIME_SCALE ?? '0.5', TARGET_IDLE_TIMEOUT_MS: String(Math.max(60_000, thinkMs * 3)) },
});
const testid = `scale-${vus}-${Date.now()}`;
const samples: { at: number; sockets: number; activeRuns: number }[] = [];
const targetUsage = trackUsage(target.pid, 1000);
const sampler = setInterval(() => {
  target.stats().then(
    (stats) => samples.push({ at: Date.now(), sockets: stats.sockets, activeRuns: stats.active_runs }),
    () => undefined,
  );
}, 5000);
try {
  console.log(`scale: ${vus} VUs (stress profile over ${duration}), a message every ${thinkMs} ms per session, target ${target.url}, testid ${testid}`);
  const output = influxOutputArgs(influx.url, testid);
  const summary = join(workDir, 'summary.json');
  const started = Date.now();
  const run = await runMeasured(
    k6Binary(),
    ['run', '--quiet', '--no-color', '--no-usage-report', `--summary-export=${summary}`, ...output.args, bundlePath('agent-events')],
    {
      env: {
        ...output.env, BASE_URL: target.url, PROFILE: 'stress', VUS: String(vus), DURATION: duration, THINK_TIME_MS: String(thinkMs),
        // Sessions end near the test's end, and short timeouts keep k6's graceful stop short.
        RUNS_PER_SESSION: String(Math.max(1, Math.ceil(durationMs / Math.max(thinkMs, 1000)))), RUN_TIMEOUT_MS: '30000', HTTP_TIMEOUT_MS: '10000',
        SUMMARY_DIR: workDir, K6_NO_USAGE_REPORT: 'true',
      },
      timeoutMs: durationMs + 10 * 60_000,
    },
  );
  clearInterval(sampler);
  const targetCost = targetUsage.stop();
  const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, Record<string, number>> }).metrics;
  const count = (name: string, field = 'count'): number => metrics[name]?.[field] ?? 0;
  const completed = count('agent_runs_completed');
  const failed = count('agent_runs_failed');
  const checksFailed = count('checks', 'fails');
  const checksTotal = count('checks', 'passes') + checksFailed;
  const flushWarnings = (run.stderr.match(/flush operation took higher/g) ?? []).length;
  const peakSockets = Math.max(0, ...samples.map((sample) => sample.sockets));
  const heldFor = (threshold: number): number => samples.filter((sample) => sample.sockets >= threshold).length * 5;
  console.log('\n| measure | value |');
  console.log('|---|---:|');
  console.log(`| k6 exit | ${run.code} |`);
  console.log(`| wall time | ${((Date.now() - started) / 1000).toFixed(0)} s |`);
  console.log(`| peak concurrent sessions (target sockets) | ${peakSockets} |`);
  console.log(`| seconds with ≥ 95 % of ${vus} sessions open | ${heldFor(0.95 * vus)} |`);
  console.log(`| agent runs completed / failed | ${completed} / ${failed} (${((100 * failed) / Math.max(1, completed + failed)).toFixed(3)} % failed) |`);
  console.log(`| checks failed | ${checksFailed} of ${checksTotal} (${((100 * checksFailed) / Math.max(1, checksTotal)).toFixed(3)} %) |`);
  console.log(`| agent response p95 | ${metrics.agent_response_duration?.['p(95)']?.toFixed(0) ?? '-'} ms |`);
  console.log(`| auth (login, handshake) p95 | ${metrics.auth_duration?.['p(95)']?.toFixed(0) ?? '-'} ms |`);
  console.log(`| InfluxDB flush warnings | ${flushWarnings} |`);
  console.log(`| k6 CPU s / peak RSS | ${run.cpuSeconds.toFixed(0)} s / ${run.peakRssMiB.toFixed(0)} MiB |`);
  console.log(`| target CPU s / peak RSS | ${targetCost.cpuSeconds.toFixed(0)} s / ${targetCost.peakRssMiB.toFixed(0)} MiB |`);
  const interrupted = /was stopped because the VU iteration was interrupted/;
  const errors = run.stderr.split('\n').filter((line) => /level=(error|warning)/.test(line) && !interrupted.test(line));
  console.log(`\nk6 warnings and errors, besides timers of iterations interrupted at the end: ${errors.length}${errors.length ? `; first: ${errors.slice(0, 3).join(' | ')}` : ''}`);
  console.log(`sockets every 5 s: ${samples.map((sample) => sample.sockets).join(' ')}`);
} finally {
  clearInterval(sampler);
  await target.stop();
  await influx.stop();
  rmSync(workDir, { recursive: true, force: true });
}
