import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProvisionError } from './go-build.ts';
import { renderInfluxConfig } from './influxdb-config.ts';
import { repoRoot } from './paths.ts';
import { findInfluxd, pinnedInfluxVersion } from './provision-influxd.ts';

export const defaultInfluxPort = 8086;
export const defaultInfluxDataDir = join(repoRoot, '.data', 'influxdb');

export interface InfluxServerOptions {
  port?: number;
  /** Defaults to port + 2 (8088 for the default 8086, influxd's own default). */
  rpcPort?: number;
  dataDir?: string;
  /** How long to wait for /ping after spawning influxd. */
  startTimeoutMs?: number;
  /** The influxd binary; otherwise INFLUXD, or the one `npm run setup` built. */
  influxd?: string;
}

export interface InfluxServer {
  url: string;
  port: number;
  dataDir: string;
  pid: number | undefined;
  /** False when an influxd already answered (this call reused it). */
  started: boolean;
}

export class InfluxServerError extends Error {}

interface Resolved { port: number; rpcPort: number; dataDir: string; startTimeoutMs: number }

function resolve(options: InfluxServerOptions): Resolved {
  const port = options.port ?? defaultInfluxPort;
  return {
    port,
    rpcPort: options.rpcPort ?? port + 2,
    dataDir: options.dataDir ?? defaultInfluxDataDir,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
  };
}

const pidFile = (dataDir: string): string => join(dataDir, 'influxd.pid');
const logFile = (dataDir: string): string => join(dataDir, 'influxd.log');
const urlOf = (port: number): string => `http://127.0.0.1:${port}`;

export async function pingInflux(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status === 204;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(dataDir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function logTail(dataDir: string): string {
  try {
    return readFileSync(logFile(dataDir), 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
}

function pickInfluxd(given: string | undefined): string {
  if (given) return given;
  try {
    const found = findInfluxd();
    if (found) return found.path;
  } catch (error) {
    if (error instanceof ProvisionError) throw new InfluxServerError(error.message);
    throw error;
  }
  throw new InfluxServerError(`no influxd: run \`npm run setup\` (builds InfluxDB v${pinnedInfluxVersion()} once), or set INFLUXD=/path/to/influxd`);
}

/** Starts influxd on 127.0.0.1 with the project config, or reuses the one already answering on that port. */
export async function startInflux(options: InfluxServerOptions = {}): Promise<InfluxServer> {
  const o = resolve(options);
  const url = urlOf(o.port);
  if (await pingInflux(url)) return { url, port: o.port, dataDir: o.dataDir, pid: readPid(o.dataDir), started: false };
  const influxd = pickInfluxd(options.influxd);
  mkdirSync(o.dataDir, { recursive: true });
  const configPath = join(o.dataDir, 'influxdb.conf');
  writeFileSync(configPath, renderInfluxConfig(o));
  const log = openSync(logFile(o.dataDir), 'a');
  const child = spawn(influxd, ['-config', configPath], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  if (child.pid === undefined) throw new InfluxServerError(`could not spawn ${influxd}`);
  writeFileSync(pidFile(o.dataDir), `${child.pid}\n`);
  const deadline = Date.now() + o.startTimeoutMs;
  while (Date.now() < deadline) {
    if (await pingInflux(url)) return { url, port: o.port, dataDir: o.dataDir, pid: child.pid, started: true };
    if (exited !== undefined) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  if (exited === undefined) process.kill(child.pid, 'SIGKILL');
  rmSync(pidFile(o.dataDir), { force: true });
  throw new InfluxServerError(`influxd did not answer ${url}/ping (${exited === undefined ? 'timed out' : `exited ${exited}`}): ${logTail(o.dataDir)}`);
}

/** Stops the influxd whose pid is in dataDir's pidfile; true if one was running. */
export async function stopInflux(options: InfluxServerOptions = {}): Promise<boolean> {
  const o = resolve(options);
  const pid = readPid(o.dataDir);
  rmSync(pidFile(o.dataDir), { force: true });
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

export interface InfluxStatus { url: string; answering: boolean; pid: number | undefined }

export async function influxStatus(options: InfluxServerOptions = {}): Promise<InfluxStatus> {
  const o = resolve(options);
  const url = urlOf(o.port);
  return { url, answering: await pingInflux(url), pid: readPid(o.dataDir) };
}

/** True when dataDir holds a pidfile of a live process: lets callers tell "ours" from "someone's". */
export function ownsRunningInflux(dataDir: string): boolean {
  return existsSync(pidFile(dataDir)) && readPid(dataDir) !== undefined;
}
