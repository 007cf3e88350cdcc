/**
 * Capacity of the reference target on this machine, measured with a raw `ws` client (not k6):
 *   (a) concurrent authenticated sessions held for a fixed time with pings, at N = 500, 1000, 2000, 4000;
 *   (b) completed single-agent runs per second at a fixed latency model, with C sockets running back to back.
 * The target is a separate child process so its CPU (read from /proc/<pid>/stat) is not the client's.
 * Usage: npm run bench:target   (needs `ulimit -n` ≥ 2 × the largest N + slack; the target inherits it)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const SESSION_LEVELS = [500, 1000, 2000, 4000];
const SOCKETS_PER_USER = 25;
const RAMP_BATCH = 100;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const HOLD_MS = 10_000;
const PING_EVERY_MS = 2_500;
const MAX_FAILURE_RATE = 0.01;
const TIME_SCALE = '0.05';
const RUN_CONCURRENCY = [50, 200, 500];
const RUN_PHASE_MS = 15_000;
const RUN_TIMEOUT_MS = 30_000;
const MAX_RUNS_PER_SOCKET = 5_000;
const WATCHDOG_MS = 10 * 60_000;
const CLK_TCK = 100; // Linux USER_HZ on every mainstream kernel

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the target process and what it costs ----

interface Target { child: ChildProcess; url: string; wsUrl: string }

async function startTarget(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'target/main.ts', '--port', '0'], {
    cwd: ROOT,
    env: {
      ...process.env, TARGET_AGENT_TIME_SCALE: TIME_SCALE, TARGET_IDLE_TIMEOUT_MS: '600000',
      TARGET_MAX_CONCURRENT_RUNS: 'free:100000,pro:100000,enterprise:100000', DATABASE_URL: '', TARGET_FAULTS: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('target did not start within 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) { clearTimeout(timer); resolve(out.split('\n')[0]!); }
    });
    child.once('exit', (code) => reject(new Error(`target exited with ${code}`)));
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
  if (!url) throw new Error(`unexpected start line: ${line}`);
  return { child, url, wsUrl: `${url.replace('http://', 'ws://')}/ws` };
}

async function stopTarget(target: Target): Promise<void> {
  if (target.child.exitCode !== null) return;
  const exited = new Promise((resolve) => target.child.once('exit', resolve));
  target.child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  target.child.kill('SIGKILL');
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
}

function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s+/)[3]);
}

// ---- users: signup + login over HTTP, one token shared by several sockets ----

async function makeTokens(url: string, count: number, plan: string): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < count) {
    const batch = Array.from({ length: Math.min(20, count - tokens.length) }, async () => {
      const email = `bench-${randomBytes(6).toString('hex')}@example.test`;
      const password = randomBytes(12).toString('hex');
      const post = (path: string, body: unknown) => fetch(`${url}${path}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      const signup = await post('/auth/signup', { email, password, plan });
      if (signup.status !== 201) throw new Error(`signup → ${signup.status}`);
      const login = await post('/auth/login', { email, password });
      if (login.status !== 200) throw new Error(`login → ${login.status}`);
      return ((await login.json()) as { access_token: string }).access_token;
    });
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}

// ---- one client socket ----

interface Session {
  ws: WebSocket;
  handshakeMs: number;
  failed: boolean;
  lastPingSent?: number;
  lastPongAt?: number;
  onFrame?: (frame: any) => void;
}

function openSession(wsUrl: string, token: string): Promise<Session | undefined> {
  const started = performance.now();
  const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  return new Promise((resolve) => {
    const fail = (): void => { clearTimeout(timer); ws.terminate(); resolve(undefined); };
    const timer = setTimeout(fail, HANDSHAKE_TIMEOUT_MS);
    ws.once('error', fail);
    ws.once('unexpected-response', fail);
    ws.once('message', (data) => {
      clearTimeout(timer);
      if (JSON.parse(data.toString()).type !== 'connection_established') return fail();
      const session: Session = { ws, handshakeMs: performance.now() - started, failed: false };
      ws.removeAllListeners('error');
      ws.on('error', () => { session.failed = true; });
      ws.on('close', () => { session.failed = true; });
      ws.on('message', (raw) => {
        const frame = JSON.parse(raw.toString());
        if (frame.type === 'pong') session.lastPongAt = performance.now();
        else session.onFrame?.(frame);
      });
      resolve(session);
    });
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function closeAll(sessions: Session[]): Promise<void> {
  for (const s of sessions) { s.ws.removeAllListeners('close'); s.ws.close(1000); }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && sessions.some((s) => s.ws.readyState !== WebSocket.CLOSED)) await sleep(100);
  for (const s of sessions) s.ws.terminate();
}

// ---- (a) concurrent sessions held ----

interface SessionRow { n: number; opened: number; held: number; rampS: number; hsP95: number; pingP95: number; cpuS: number; rssMiB: number }

async function holdSessions(target: Target, n: number, tokens: string[]): Promise<SessionRow> {
  const pid = target.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const rampStart = performance.now();
  const sessions: Session[] = [];
  for (let i = 0; i < n; i += RAMP_BATCH) {
    const batch = Array.from({ length: Math.min(RAMP_BATCH, n - i) }, (_, j) =>
      openSession(target.wsUrl, tokens[Math.floor((i + j) / SOCKETS_PER_USER)]!));
    for (const s of await Promise.all(batch)) if (s) sessions.push(s);
  }
  const rampS = (performance.now() - rampStart) / 1000;
  const rtts: number[] = [];
  const pingAll = (): void => {
    for (const s of sessions) {
      if (s.failed) continue;
      if (s.lastPingSent !== undefined && s.lastPongAt !== undefined && s.lastPongAt >= s.lastPingSent) rtts.push(s.lastPongAt - s.lastPingSent);
      s.lastPingSent = performance.now();
      s.ws.send(JSON.stringify({ type: 'ping', ts: Date.now() }));
    }
  };
  const holdEnd = Date.now() + HOLD_MS;
  while (Date.now() < holdEnd) {
    pingAll();
    await sleep(Math.min(PING_EVERY_MS, Math.max(0, holdEnd - Date.now())));
  }
  pingAll();
  // The last ping round must be answered for a socket to count as held.
  const answerBy = Date.now() + 5_000;
  const answered = (s: Session): boolean => !s.failed && s.lastPongAt !== undefined && s.lastPongAt >= s.lastPingSent!;
  while (Date.now() < answerBy && !sessions.every((s) => s.failed || answered(s))) await sleep(50);
  for (const s of sessions) if (answered(s)) rtts.push(s.lastPongAt! - s.lastPingSent!);
  const held = sessions.filter(answered).length;
  const row: SessionRow = {
    n, opened: sessions.length, held, rampS,
    hsP95: percentile(sessions.map((s) => s.handshakeMs), 95), pingP95: percentile(rtts, 95),
    cpuS: cpuSeconds(pid) - cpu0, rssMiB: rssMiB(pid),
  };
  await closeAll(sessions);
  await sleep(1_000);
  return row;
}

// ---- (b) completed runs per second ----

interface RunRow { c: number; completed: number; failed: number; seconds: number; p50: number; p95: number; cpuS: number }

async function runBackToBack(target: Target, c: number, tokens: string[]): Promise<RunRow> {
  const sessions = (await Promise.all(Array.from({ length: c }, (_, i) =>
    openSession(target.wsUrl, tokens[Math.floor(i / SOCKETS_PER_USER)]!)))).filter((s): s is Session => s !== undefined);
  const latencies: number[] = [];
  let failed = c - sessions.length;
  const pid = target.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const start = performance.now();
  const deadline = start + RUN_PHASE_MS;
  await Promise.all(sessions.map(async (s) => {
    for (let i = 0; i < MAX_RUNS_PER_SOCKET && performance.now() < deadline && !s.failed; i++) {
      const requestId = randomUUID();
      const sent = performance.now();
      const outcome = await new Promise<'ok' | 'error' | 'timeout'>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS);
        s.onFrame = (frame) => {
          if (frame.request_id !== requestId) return;
          if (frame.type === 'agent_completed') { clearTimeout(timer); resolve('ok'); }
          if (frame.type === 'agent_error') { clearTimeout(timer); resolve('error'); }
        };
        s.ws.send(JSON.stringify({ type: 'user_message', request_id: requestId, content: 'how much have I spent?', mode: 'single' }));
      });
      if (outcome === 'ok') latencies.push(performance.now() - sent);
      else { failed++; if (outcome === 'timeout') break; }
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  const row = { c, completed: latencies.length, failed, seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), cpuS: cpuSeconds(pid) - cpu0 };
  await closeAll(sessions);
  await sleep(1_000);
  return row;
}

// ---- main ----

const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

async function main(): Promise<void> {
  const limit = openFileLimit();
  const needed = 2 * Math.max(...SESSION_LEVELS) + 200; // client and target each hold one fd per socket
  if (limit < needed) {
    process.stderr.write(`bench: open-file limit is ${limit}; run \`ulimit -n ${needed}\` first (the target inherits it)\n`);
    process.exit(2);
  }
  const watchdog = setTimeout(() => { process.stderr.write('bench: watchdog fired\n'); process.exit(3); }, WATCHDOG_MS);
  const clientCpu0 = process.cpuUsage();
  console.log(`agent-sla target capacity — node ${process.version}, ${new Date().toISOString()}, fd limit ${limit}, db pglite (in-memory)`);

  const sessionTarget = await startTarget();
  const rows: SessionRow[] = [];
  try {
    const tokens = await makeTokens(sessionTarget.url, Math.ceil(Math.max(...SESSION_LEVELS) / SOCKETS_PER_USER), 'pro');
    for (const n of SESSION_LEVELS) {
      const row = await holdSessions(sessionTarget, n, tokens);
      rows.push(row);
      if ((n - row.held) / n > MAX_FAILURE_RATE) break;
    }
  } finally {
    await stopTarget(sessionTarget);
  }
  console.log(`\n(a) concurrent sessions held for ${HOLD_MS / 1000} s, ping every ${PING_EVERY_MS / 1000} s, ${SOCKETS_PER_USER} sockets per user, ramp batches of ${RAMP_BATCH}`);
  console.log('     N  opened    held  fail%  ramp s  handshake p95 ms  ping rtt p95 ms  target cpu s  target rss MiB');
  for (const r of rows) {
    console.log(`${String(r.n).padStart(6)}  ${String(r.opened).padStart(6)}  ${String(r.held).padStart(6)}  ${fmt((100 * (r.n - r.held)) / r.n, 2).padStart(5)}  ${fmt(r.rampS, 1).padStart(6)}  ${fmt(r.hsP95).padStart(16)}  ${fmt(r.pingP95).padStart(15)}  ${fmt(r.cpuS, 2).padStart(12)}  ${String(r.rssMiB).padStart(14)}`);
  }

  const runTarget = await startTarget();
  const runRows: RunRow[] = [];
  try {
    const tokens = await makeTokens(runTarget.url, Math.ceil(Math.max(...RUN_CONCURRENCY) / SOCKETS_PER_USER), 'pro');
    for (const c of RUN_CONCURRENCY) runRows.push(await runBackToBack(runTarget, c, tokens));
  } finally {
    await stopTarget(runTarget);
  }
  console.log(`\n(b) single-agent runs back to back for ${RUN_PHASE_MS / 1000} s, TARGET_AGENT_TIME_SCALE=${TIME_SCALE}`);
  console.log('     C  completed  failed  runs/s  run p50 ms  run p95 ms  target cpu s  target cpu %  runs per target cpu-s');
  for (const r of runRows) {
    console.log(`${String(r.c).padStart(6)}  ${String(r.completed).padStart(9)}  ${String(r.failed).padStart(6)}  ${fmt(r.completed / r.seconds, 1).padStart(6)}  ${fmt(r.p50).padStart(10)}  ${fmt(r.p95).padStart(10)}  ${fmt(r.cpuS, 2).padStart(12)}  ${fmt((100 * r.cpuS) / r.seconds).padStart(12)}  ${fmt(r.completed / r.cpuS, 1).padStart(21)}`);
  }
  const client = process.cpuUsage(clientCpu0);
  console.log(`\nclient (this process) cpu: ${fmt((client.user + client.system) / 1e6, 1)} s in total`);
  clearTimeout(watchdog);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
