// Goal 3 (the engine's issue): 10,000 concurrent agent sessions on one 2-core machine, every run verified. The
// agent-events scenario under the stress profile ramps to SCALE_VUS virtual users on the engine; each signs up, holds
// one authenticated WebSocket and sends a message every SCALE_THINK_MS, every run validated by the library (the
// event sequence, the contract's responses). Every 5 s it samples the sockets the target holds; the CPU and peak RSS
// of the engine and of the target are measured; with influxd available it streams to a local InfluxDB as the CLI
// does. Met when the target held SCALE_VUS sockets at once and every correctness SLA held (event sequence 100 %,
// runs completed, responses as the contract says); latency SLAs are reported, not required (the generator, the
// target and PGlite share the two cores).
// The users are signed up before the test (SCALE_USERS=before; SCALE_USERS=during lets every VU sign up its own, as
// the scenario does by default) and the VUs log in with them (AUTH_MODE=login, USERS_FILE): 10,000 signups during
// the ramp are the reference target's work (PGlite inserts on its one thread), not the load generator's, and on two
// shared cores they time out. The auth SLA is loosened to 60 s (SCALE_SLA_AUTH_MS): the stress profile aborts the
// test when auth's p95 stays over its SLA for 30 s.
//   npm run bench:scale      (SCALE_VUS=10000 SCALE_DURATION=16m SCALE_THINK_MS=120000 SCALE_USERS=before
//                             SCALE_INFLUX=1 SCALE_SLA_AUTH_MS=60000)
// The stress profile's stages scale to the duration: ramp to half for ¼, to full for ¼, hold ⅜, ramp down ⅛.
// The engine and the target each hold one descriptor per session: the npm script raises the open-file limit to the
// hard limit in its own shell; this script says what to run if that is still too low.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { influxOutputArgs } from '../cli/influx-output.ts';
import { provisionedInfluxd } from '../build/paths.ts';
import { parseDurationMs } from '../lib/duration.ts';
import { startTestInflux } from '../test/support/influx.ts';
import { runEngine, targetOf, warmEngine } from './support/engine.ts';
import { trackUsage } from './support/process-usage.ts';
import { loadLine } from './support/run-measured.ts';
import { snapshotTree } from './support/snapshot.ts';

const vus = Number(process.env.SCALE_VUS ?? 10_000);
const duration = process.env.SCALE_DURATION ?? '16m';
const thinkMs = Number(process.env.SCALE_THINK_MS ?? 120_000);
const usersBefore = process.env.SCALE_USERS !== 'during';
const durationMs = parseDurationMs(duration);
if (!durationMs || !(vus > 0) || !(thinkMs >= 0)) throw new Error('SCALE_VUS, SCALE_DURATION and SCALE_THINK_MS must be positive');
const limits = readFileSync('/proc/self/limits', 'utf8');
const fdLimit = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
const fdHard = /^Max open files\s+\d+\s+(\S+)/m.exec(limits)?.[1];
const needed = vus + 1000;
if (fdLimit < needed) {
  console.error(`bench:scale: the open-file limit is ${fdLimit} (hard ${fdHard}); ${vus} sessions need ${needed} in the engine and in the target.`);
  console.error(`Run it as: bash -c 'ulimit -n ${needed} && npm run bench:scale'   (raising the hard limit needs root: /etc/security/limits.conf)`);
  process.exit(2);
}
const ports = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
if (ports[1]! - ports[0]! < vus + 1000) console.warn(`bench:scale: only ${ports[1]! - ports[0]!} ephemeral ports for ${vus} sessions to one target address`);

const tree = snapshotTree('bench-scale');
const useInflux = process.env.SCALE_INFLUX !== '0' && existsSync(provisionedInfluxd);
// InfluxDB is not what is measured: it comes from the working tree, with the influxd `npm run setup` built there.
const influx = useInflux ? await startTestInflux() : undefined;
const { spawnTarget } = await targetOf(tree.root);
const target = await spawnTarget({
  env: { TARGET_AGENT_TIME_SCALE: process.env.SCALE_AGENT_TIME_SCALE ?? '0.5', TARGET_IDLE_TIMEOUT_MS: String(Math.max(60_000, thinkMs * 3)), TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000' },
  startTimeoutMs: 120_000,
});
const testid = `scale-${vus}-${Date.now()}`;
const samples: { at: number; sockets: number; activeRuns: number }[] = [];
const targetUsage = trackUsage(target.pid, 1000);
const sampler = setInterval(() => {
  target.stats().then((stats) => samples.push({ at: Date.now(), sockets: stats.sockets, activeRuns: stats.active_runs }), () => undefined);
}, 5000);
try {
  console.log(`bench:scale — ${vus} VUs (stress profile over ${duration}), a message every ${thinkMs} ms per session; ${tree.describe}`);
  console.log(`${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${loadLine()}; open-file limit ${fdLimit}; ${influx ? `InfluxDB ${influx.url}` : 'no InfluxDB output'}`);
  await warmEngine(tree.root);
  let userVars: Record<string, string> = {};
  if (usersBefore) {
    const signedUp = Date.now();
    const lines = ['email,password,plan'];
    const batch = 50;
    for (let first = 0; first < vus; first += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, vus - first) }, async (_, i) => {
        const email = `scale-${testid}-${first + i}@load.test`;
        for (let attempt = 0; ; attempt++) {
          const response = await fetch(`${target.url}/auth/signup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: 'scale-password', plan: 'pro' }) }).catch(() => undefined);
          if (response && response.status < 300) break;
          if (attempt >= 5) throw new Error(`signup of ${email} failed: ${response?.status}`);
        }
        lines.push(`${email},scale-password,pro`);
      }));
    }
    writeFileSync(join(tree.root, 'reports', 'scale-users.csv'), `${lines.join('\n')}\n`);
    userVars = { AUTH_MODE: 'login', USERS_FILE: join(tree.root, 'reports', 'scale-users.csv') };
    console.log(`${vus} users signed up before the test in ${((Date.now() - signedUp) / 1000).toFixed(0)} s; the VUs log in with them`);
  }
  const output = influx ? influxOutputArgs(influx.url, testid) : { args: [] as string[], env: {} as Record<string, string> };
  const started = Date.now();
  const run = await runEngine(tree.root, join(tree.root, 'dist', 'agent-events.js'), {
    vars: {
      BASE_URL: target.url, PROFILE: 'stress', VUS: String(vus), DURATION: duration, THINK_TIME_MS: String(thinkMs),
      // Sessions end near the test's end, and short timeouts keep the graceful stop short.
      RUNS_PER_SESSION: String(Math.max(1, Math.ceil(durationMs / Math.max(thinkMs, 1000)))), RUN_TIMEOUT_MS: '30000', HTTP_TIMEOUT_MS: '30000',
      SLA_AUTH_MS: process.env.SCALE_SLA_AUTH_MS ?? '60000',
      ...userVars,
      SUMMARY_DIR: join(tree.root, 'reports'),
    },
    args: output.args,
    processEnv: output.env,
    timeoutMs: durationMs + 10 * 60_000,
  });
  clearInterval(sampler);
  const targetCost = targetUsage.stop();
  const endLoad = loadLine();
  const metrics = run.summary?.metrics ?? {};
  const count = (name: string, field = 'count'): number => metrics[name]?.[field] ?? 0;
  const completed = count('agent_runs_completed');
  const runOk = metrics.agent_run_ok ?? {};
  const runsTried = (runOk.passes ?? 0) + (runOk.fails ?? 0);
  const sequence = metrics.agent_event_sequence_ok ?? {};
  const sequenceTotal = (sequence.passes ?? 0) + (sequence.fails ?? 0);
  const checksFailed = count('checks', 'fails');
  const checksTotal = count('checks', 'passes') + checksFailed;
  const thresholdsCrossed = /thresholds on metrics '([^"]*)' have been crossed/.exec(run.stderr)?.[1]?.split("', '") ?? [];
  const correctnessCrossed = thresholdsCrossed.filter((name) => /agent_event_sequence_ok|agent_run_ok|agent_runs|contract|responses|checks/.test(name));
  const outputWarnings = (run.stderr.match(/InfluxDB at /g) ?? []).length;
  const peakSockets = Math.max(0, ...samples.map((sample) => sample.sockets));
  const heldFor = (threshold: number): number => samples.filter((sample) => sample.sockets >= threshold).length * 5;
  const pct = (part: number, whole: number): string => `${((100 * part) / Math.max(1, whole)).toFixed(3)} %`;
  const goal = (met: boolean): string => (met ? 'met' : 'NOT met');
  const socketsMet = peakSockets >= vus;
  const correctnessMet = correctnessCrossed.length === 0 && sequenceTotal > 0 && (sequence.fails ?? 0) === 0 && run.code !== null;
  console.log(`\n${new Date().toISOString()}; ${endLoad} at the end`);
  console.log('\n| measure | value | goal |');
  console.log('|---|---:|---|');
  console.log(`| engine exit code | ${run.code}${thresholdsCrossed.length ? ` (thresholds crossed: ${thresholdsCrossed.join(', ')})` : ''} | |`);
  console.log(`| wall time | ${((Date.now() - started) / 1000).toFixed(0)} s | |`);
  console.log(`| peak concurrent sessions (target sockets) | ${peakSockets} | ${vus}: ${goal(socketsMet)} |`);
  console.log(`| seconds with ≥ 99 % / 100 % of ${vus} sessions open | ${heldFor(0.99 * vus)} / ${heldFor(vus)} | |`);
  console.log(`| agent runs completed / tried | ${completed} / ${runsTried} (${pct(runsTried - (runOk.passes ?? 0), runsTried)} not completed) | |`);
  console.log(`| runs with a well-formed event sequence | ${sequence.passes ?? 0} of ${sequenceTotal} | 100 %: ${goal(sequenceTotal > 0 && (sequence.fails ?? 0) === 0)} |`);
  console.log(`| correctness SLAs (sequence, runs completed, contract responses) | ${correctnessCrossed.length === 0 ? 'held' : `crossed: ${correctnessCrossed.join(', ')}`} | ${goal(correctnessMet)} |`);
  console.log(`| checks failed | ${checksFailed} of ${checksTotal} (${pct(checksFailed, checksTotal)}) | |`);
  console.log(`| agent response p95 / auth p95 | ${metrics.agent_response_duration?.['p(95)']?.toFixed(0) ?? '-'} ms / ${metrics.auth_duration?.['p(95)']?.toFixed(0) ?? '-'} ms | reported |`);
  console.log(`| InfluxDB output warnings | ${influx ? outputWarnings : 'no output'} | |`);
  console.log(`| engine: CPU / peak RSS | ${run.cpuSeconds.toFixed(0)} CPU-s / ${run.peakRssMiB.toFixed(0)} MiB (${((run.peakRssMiB * 1024) / vus).toFixed(0)} KiB per VU) | |`);
  console.log(`| target: CPU / peak RSS | ${targetCost.cpuSeconds.toFixed(0)} CPU-s / ${targetCost.peakRssMiB.toFixed(0)} MiB | |`);
  console.log(`\nGoal 3, ${vus} concurrent sessions on this machine, every run verified: ${socketsMet && correctnessMet ? 'MET' : 'NOT met'}`);
  const warnings = new Map<string, number>();
  for (const line of run.stderr.split('\n')) {
    if (!/level=(error|warning)/.test(line)) continue;
    const message = (/msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line).replace(/\d+/g, 'N');
    warnings.set(message, (warnings.get(message) ?? 0) + 1);
  }
  console.log(`\nengine warnings and errors: ${[...warnings.values()].reduce((a, b) => a + b, 0)}`);
  for (const [message, times] of [...warnings].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  ${String(times).padStart(6)} × ${message.slice(0, 200)}`);
  console.log(`sockets every 5 s: ${samples.map((sample) => sample.sockets).join(' ')}`);
} finally {
  clearInterval(sampler);
  await target.stop();
  await influx?.stop();
  tree.remove();
}
