import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export interface SpawnedTarget {
  url: string;
  /** The dialect's socket URL: /ws, or /v1/realtime?model=gpt-realtime for openai-realtime. */
  wsUrl: string;
  adminToken: string;
  /** The start line the target printed. */
  startLine: string;
  /** Process id of the target, e.g. to read its memory and CPU time from /proc. */
  pid: number;
  /** Replaces the active faults through POST /admin/faults ('' clears). */
  setFaults(spec: string): Promise<void>;
  /** Row counts and live counters from GET /admin/stats. */
  stats(): Promise<TargetStats>;
  /** Waits, up to 20 s, until no run is in flight (its billing is then committed). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface TargetStats {
  rows: { users: number; runs: number; billing_records: number; refresh_tokens: number };
  sockets: number;
  active_runs: number;
}

export interface SpawnTargetOptions {
  faults?: string;
  /** The wire protocol (--dialect); the contract's, agent-sla, by default. */
  dialect?: 'agent-sla' | 'envelope' | 'openai-realtime' | 'ag-ui';
  env?: Record<string, string>;
  /** Use PostgreSQL at this URL instead of in-memory PGlite. */
  databaseUrl?: string;
  startTimeoutMs?: number;
  /** Start without TARGET_ADMIN_TOKEN, as a user would by default: the admin endpoints are then disabled. */
  withoutAdmin?: boolean;
  /** A fixed port, e.g. to restart a target where the load test expects it; default: a free one. */
  port?: number;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `tsx target/main.ts --port 0` as a child process and waits for its start line. */
export async function spawnTarget(options: SpawnTargetOptions = {}): Promise<SpawnedTarget> {
  const adminToken = randomBytes(18).toString('base64url');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TARGET_AGENT_TIME_SCALE: '0.05',
    ...options.env,
    TARGET_ADMIN_TOKEN: adminToken,
  };
  if (options.withoutAdmin) delete env.TARGET_ADMIN_TOKEN;
  delete env.TARGET_FAULTS;
  if (!options.env?.TARGET_DIALECT) delete env.TARGET_DIALECT;
  if (!options.env?.TARGET_AUTH_REFUSAL) delete env.TARGET_AUTH_REFUSAL;
  delete env.TARGET_PORT;
  if (!options.databaseUrl) delete env.DATABASE_URL;
  else env.DATABASE_URL = options.databaseUrl;
  if (options.faults) env.TARGET_FAULTS = options.faults;
  const dialectArgs = options.dialect ? ['--dialect', options.dialect] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'target/main.ts', '--port', String(options.port ?? 0), ...dialectArgs], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const startLine = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`target did not start in time: ${stderr.trim()}`));
    }, options.startTimeoutMs ?? 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`target exited with ${code}: ${stderr.trim()}`));
    });
  });
  const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(startLine);
  if (!match) {
    child.kill('SIGKILL');
    throw new Error(`unexpected start line: ${startLine}`);
  }
  const url = match[1]!;
  const target: SpawnedTarget = {
    url,
    wsUrl: `${url.replace('http://', 'ws://')}${options.dialect === 'openai-realtime' ? '/v1/realtime?model=gpt-realtime' : '/ws'}`,
    adminToken,
    startLine,
    pid: child.pid!,
    async setFaults(spec) {
      const res = await fetch(`${url}/admin/faults`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ faults: spec }),
      });
      if (res.status !== 200) throw new Error(`setFaults(${spec}) → ${res.status} ${await res.text()}`);
    },
    async stats() {
      const res = await fetch(`${url}/admin/stats`, { headers: { authorization: `Bearer ${adminToken}` } });
      if (res.status !== 200) throw new Error(`stats → ${res.status} ${await res.text()}`);
      return (await res.json()) as TargetStats;
    },
    async settled() {
      for (let i = 0; i < 400 && (await target.stats()).active_runs > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    stop: () => stopChild(child),
  };
  return target;
}

/** Waits, up to timeoutMs, until the target has billed `count` runs: a load test against it is under way. */
export async function untilBilled(target: SpawnedTarget, count: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let billed = 0; billed < count; billed = (await target.stats()).rows.billing_records) {
    if (Date.now() > deadline) throw new Error(`the target billed ${billed} runs in ${timeoutMs} ms, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---- Clients for target tests: real HTTP (fetch) and a real `ws` socket. ----

export interface TestUser { email: string; password: string; userId: string; accessToken: string; refreshToken: string }

export async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function getJson(url: string, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function newUser(baseUrl: string, plan: 'free' | 'pro' | 'enterprise' = 'free'): Promise<TestUser> {
  const email = `u-${randomBytes(6).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const signup = await postJson(`${baseUrl}/auth/signup`, { email, password, plan });
  if (signup.status !== 201) throw new Error(`signup → ${signup.status}`);
  const login = await postJson(`${baseUrl}/auth/login`, { email, password });
  if (login.status !== 200) throw new Error(`login → ${login.status}`);
  return { email, password, userId: signup.body.user_id, accessToken: login.body.access_token, refreshToken: login.body.refresh_token };
}
