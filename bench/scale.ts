// Benchmark 3: how many concurrent agent sessions k6 and the target hold together on this machine. The agent-events
// scenario under the stress profile ramps to SCALE_VUS virtual users; each holds one authenticated WebSocket and sends
// a message every THINK_TIME_MS, streaming to a local InfluxDB. Every 5 s it samples the sockets the target holds and
// the CPU and memory of k6 and the target; at the end it counts errors and k6's InfluxDB flush warnings.
//   npm run bench:scale      (SCALE_VUS=1000 SCALE_DURATION=4m SCALE_THINK_MS=30000)
// The stress profile's stages scale to the duration: ramp to half for ¼, to full for ¼, hold ⅜, ramp down ⅛.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { influxOutputArgs } from '../cli/influx-output.ts';
import { parseDurationMs } from '../lib/duration.ts';
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
// k6 and the target are separate processes, each holding one descriptor per session.
const fdLimit = Number(/^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]);
if (fdLimit < vus + 500) {
  console.error(`bench: open-file limit is ${fdLimit}, ${vus} sessions need ${vus + 500}: run \`ulimit -n ${vus + 500}\` first`);
  process.exit(2);
}

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
  console.log(`load average at start ${loadavg().map((load) => load.toFixed(2)).join(' ')}, open-file limit ${fdLimit}`);
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
  // The stress stages hold the peak from ½ to ⅞ of the duration, counted from the first socket (k6 initialises every
  // VU before the clock starts). The first 30 s of the hold are left out: the last VUs are still connecting.
  const firstSocketAt = samples.find((sample) => sample.sockets > 0)?.at ?? started;
  const hold = samples.filter((sample) => sample.at >= firstSocketAt + durationMs / 2 + 30_000 && sample.at <= firstSocketAt + (durationMs * 7) / 8).map((sample) => sample.sockets);
  const holdMin = hold.length ? Math.min(...hold) : 0;
  const pct = (part: number, whole: number): string => `${((100 * part) / Math.max(1, whole)).toFixed(3)} %`;
  const goal = (met: boolean): string => (met ? 'met' : 'NOT met');
  console.log('\n| measure | value | goal |');
  console.log('|---|---:|---|');
  console.log(`| k6 exit | ${run.code} | |`);
  console.log(`| wall time | ${((Date.now() - started) / 1000).toFixed(0)} s | |`);
  console.log(`| peak concurrent sessions (target sockets) | ${peakSockets} | ${vus}: ${goal(peakSockets >= vus)} |`);
  console.log(`| fewest sessions open during the hold (${hold.length * 5} s sampled) | ${holdMin} (${pct(vus - holdMin, vus)} missing) | < 0.1 % missing: ${goal(hold.length > 0 && (vus - holdMin) / vus < 0.001)} |`);
  console.log(`| seconds with ≥ 95 % of ${vus} sessions open | ${heldFor(0.95 * vus)} | |`);
  console.log(`| agent runs completed / failed | ${completed} / ${failed} (${pct(failed, completed + failed)} failed) | < 0.1 %: ${goal(failed / Math.max(1, completed + failed) < 0.001)} |`);
  console.log(`| checks failed | ${checksFailed} of ${checksTotal} (${pct(checksFailed, checksTotal)}) | < 0.1 %: ${goal(checksFailed / Math.max(1, checksTotal) < 0.001)} |`);
  console.log(`| agent response p95 | ${metrics.agent_response_duration?.['p(95)']?.toFixed(0) ?? '-'} ms | |`);
  console.log(`| auth (login, handshake) p95 | ${metrics.auth_duration?.['p(95)']?.toFixed(0) ?? '-'} ms | |`);
  console.log(`| InfluxDB flush warnings | ${flushWarnings} | 0: ${goal(flushWarnings === 0)} |`);
  console.log(`| k6 CPU s / peak RSS | ${run.cpuSeconds.toFixed(0)} s / ${run.peakRssMiB.toFixed(0)} MiB | |`);
  console.log(`| target CPU s / peak RSS | ${targetCost.cpuSeconds.toFixed(0)} s / ${targetCost.peakRssMiB.toFixed(0)} MiB | |`);
  // k6's warnings grouped by message, digits folded, so one line stands for many VUs.
  const interrupted = /was stopped because the VU iteration was interrupted/;
  const kinds = new Map<string, number>();
  for (const line of run.stderr.split('\n')) {
    if (!/level=(error|warning)/.test(line) || interrupted.test(line)) continue;
    const field = (name: string): string | undefined => new RegExp(`${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(line)?.[1];
    const error = field('error');
    const message = `${field('msg') ?? line}${error ? `: ${error}` : ''}`.replace(/\d+/g, 'N');
    kinds.set(message, (kinds.get(message) ?? 0) + 1);
  }
  console.log(`\nk6 warnings and errors, besides timers of iterations interrupted at the end: ${[...kinds.values()].reduce((a, b) => a + b, 0)}`);
  for (const [message, times] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  ${String(times).padStart(6)} × ${message}`);
  console.log(`sockets every 5 s: ${samples.map((sample) => sample.sockets).join(' ')}`);
} finally {
  clearInterval(sampler);
  await target.stop();
  await influx.stop();
  rmSync(workDir, { recursive: true, force: true });
}
