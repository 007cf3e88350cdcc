/**
 * Runs a k6 script the way a k6 user would, through `agent-sla exec`, in its own process: the script (and any
 * files beside it) written to a fresh temp dir, the CLI started with cwd at the repo root, and what came out
 * (exit code, stdout, stderr, console lines, --summary-export JSON, --out json points) handed back to the test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliBin = join(repoRoot, 'cli', 'agent-sla.js');

export interface RunOptions {
  /** k6 run flags placed before the script path. */
  args?: string[];
  /** Extra files written beside the script (name → content). */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** Add `--summary-export <dir>/export.json`. */
  summaryExport?: boolean;
  /** Add `--out json=<dir>/points.json`. */
  jsonOut?: boolean;
  /** Run the CLI from the script's dir instead of the repo root (relative paths then land beside the script). */
  cwdInScriptDir?: boolean;
  /** Leave out `-q` (banner and progress). */
  verbose?: boolean;
  timeoutMs?: number;
}

export interface JsonPoint {
  metric: string;
  time: string;
  value: number;
  tags: Record<string, string>;
}

export interface LegacyMetric {
  [stat: string]: unknown;
  thresholds?: Record<string, boolean>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole process, in ms (startup included). */
  wallMs: number;
  /** The dir the script is in (and, with cwdInScriptDir, the CLI's working dir). */
  dir: string;
  /** Messages of the `level=info` log lines (console.log), in the order they were printed. */
  logs: string[];
  /** Every log line's level and message. */
  logLines: { level: string; msg: string }[];
  /** `--summary-export`'s JSON (only with summaryExport). */
  summary?: { metrics: Record<string, LegacyMetric>; root_group: unknown };
  /** `--out json` Point lines (only with jsonOut). */
  points: JsonPoint[];
  /** A file in the script's dir, or undefined when it does not exist. */
  file(name: string): string | undefined;
}

/** Go's logrus text format: `time="…" level=info msg="…" source=console`. msg is Go-quoted, which JSON reads for ASCII. */
function parseLogLines(stderr: string): { level: string; msg: string }[] {
  const lines: { level: string; msg: string }[] = [];
  for (const line of stderr.split('\n')) {
    const match = /level=(\w+) msg=("(?:[^"\\]|\\.)*"|\S+)/.exec(line);
    if (!match) continue;
    const raw = match[2]!;
    let msg = raw;
    if (raw.startsWith('"')) {
      try {
        msg = JSON.parse(raw) as string;
      } catch {
        msg = raw.slice(1, -1);
      }
    }
    lines.push({ level: match[1]!, msg });
  }
  return lines;
}

function parsePoints(text: string): JsonPoint[] {
  const points: JsonPoint[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { type: string; metric: string; data: { time: string; value: number; tags: Record<string, string> | null } };
    if (entry.type !== 'Point') continue;
    points.push({ metric: entry.metric, time: entry.data.time, value: entry.data.value, tags: entry.data.tags ?? {} });
  }
  return points;
}

export async function runK6(script: string, options: RunOptions = {}): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'k6-conformance-'));
  const scriptPath = join(dir, 'script.js');
  writeFileSync(scriptPath, script);
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  const args = ['exec', '--no-color'];
  if (!options.verbose) args.push('-q');
  if (options.summaryExport) args.push('--summary-export', join(dir, 'export.json'));
  if (options.jsonOut) args.push('--out', `json=${join(dir, 'points.json')}`);
  args.push(...(options.args ?? []), scriptPath);

  const started = Date.now();
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd: options.cwdInScriptDir ? dir : repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  const wallMs = Date.now() - started;

  const read = (name: string): string | undefined => {
    const path = join(dir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
  const exported = options.summaryExport ? read('export.json') : undefined;
  const pointsText = options.jsonOut ? read('points.json') : undefined;
  const logLines = parseLogLines(stderr);
  const result: RunResult = {
    code,
    stdout,
    stderr,
    wallMs,
    dir,
    logs: logLines.filter((line) => line.level === 'info').map((line) => line.msg),
    logLines,
    summary: exported ? (JSON.parse(exported) as RunResult['summary']) : undefined,
    points: pointsText ? parsePoints(pointsText) : [],
    file: read,
  };
  return result;
}

/** Removes the temp dirs of results once a test file is done with them. */
export function cleanup(...results: (RunResult | undefined)[]): void {
  for (const result of results) if (result) rmSync(result.dir, { recursive: true, force: true });
}

/** The message of a failed run, for assertion messages: exit code and the tail of stderr. */
export function explain(result: RunResult): string {
  return `exit ${result.code}\n--- stdout:\n${result.stdout.slice(-2000)}\n--- stderr:\n${result.stderr.slice(-4000)}`;
}

/** Log messages matching a pattern, each parsed into its `key=value` fields. */
export function logFields(result: RunResult, prefix: string): Record<string, string>[] {
  return result.logs
    .filter((msg) => msg.startsWith(`${prefix} `) || msg === prefix)
    .map((msg) => Object.fromEntries(msg.slice(prefix.length).trim().split(/\s+/).filter(Boolean).map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    })));
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 with an OS-chosen port. */
export async function startHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
