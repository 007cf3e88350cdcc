import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { compareVersions, goUnusable, goVersion, requiredGoOf, ProvisionError } from '../build/go-build.ts';
import { influxdbModuleDir, repoRoot } from '../build/paths.ts';
import { findInfluxd, minimumInfluxVersion, pinnedInfluxVersion } from '../build/provision-influxd.ts';
import { ENGINE_VERSION } from '../engine/runtime/engine-marker.ts';
import { workerBundle } from '../engine/run/worker-bundle.ts';
import { CONTRACT_VERSION } from '../lib/protocol/version.ts';
import { influxAnswers } from './influx-ping.ts';
import { portIsFree } from './port-free.ts';
import { checkTarget, TargetCheckError } from './target-health.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warn or fail. */
  fix?: string;
}

const shown = (path: string): string => (path.startsWith(repoRoot) ? relative(repoRoot, path) : path);

/** The engine that runs the scenarios: its VU runtime must bundle, which needs nothing but this checkout's node_modules. */
export async function checkEngine(): Promise<CheckResult> {
  try {
    const bundle = await workerBundle();
    return { name: 'engine', status: 'ok', detail: `agent-sla engine ${ENGINE_VERSION}: VU runtime at ${shown(bundle)}, ${availableParallelism()} worker threads by default` };
  } catch (error) {
    return { name: 'engine', status: 'fail', detail: `the engine's VU runtime does not build: ${(error as Error).message.split('\n')[0]}`, fix: 'run `npm ci` in this checkout' };
  }
}

/** A k6 of the user's own, only when K6_BIN names one (`run --k6` or K6_BIN): agent-sla needs none. */
export function checkUserK6(env: NodeJS.ProcessEnv): CheckResult | undefined {
  const path = env.K6_BIN?.trim();
  if (!path) return undefined;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { name: 'k6', status: 'fail', detail: `K6_BIN=${path} is not an executable file`, fix: 'unset K6_BIN to run on agent-sla\'s engine, or point it at your own k6' };
  }
  const version = /v\d+\.\d+\.\d+/.exec(spawnSync(path, ['version'], { encoding: 'utf8', timeout: 15_000 }).stdout ?? '')?.[0];
  return { name: 'k6', status: 'ok', detail: `your k6 ${version ?? '(version unknown)'} at ${path} (K6_BIN): \`run\` uses it instead of the engine` };
}

/** Go only builds influxd, for the InfluxDB tests and `npm run influx:start`: its absence is a warning. */
export function checkGo(): CheckResult {
  const need = requiredGoOf(influxdbModuleDir);
  const have = goVersion();
  if (have && compareVersions(have, need) >= 0) return { name: 'go', status: 'ok', detail: `Go ${have} (can build InfluxDB v${pinnedInfluxVersion()})` };
  return {
    name: 'go',
    status: 'warn',
    detail: have ? `Go ${have} is older than ${need}` : 'Go not found',
    fix: `only needed to build influxd: install Go >= ${need}, or set INFLUXD to an InfluxDB 1.x binary`,
  };
}

/** The influxd binary `influx:start` and the tests use: where it came from, or how to get one. Never required for runs. */
export function checkInfluxd(env: NodeJS.ProcessEnv): CheckResult {
  try {
    const influxd = findInfluxd(env);
    if (influxd) {
      const from = influxd.source === 'built' ? 'built from build/influxdb' : 'from INFLUXD';
      return { name: 'influxd', status: 'ok', detail: `InfluxDB v${influxd.version} at ${shown(influxd.path)} (${from})` };
    }
  } catch (error) {
    if (!(error instanceof ProvisionError)) throw error;
    const [problem, fix] = error.message.split(/: (?=unset INFLUXD)/);
    return { name: 'influxd', status: 'warn', detail: problem ?? error.message, fix: fix ?? 'unset INFLUXD' };
  }
  const canBuild = goUnusable(influxdbModuleDir) === undefined;
  return {
    name: 'influxd',
    status: 'warn',
    detail: `no influxd (INFLUXD unset, none built in .tools/bin)`,
    fix: canBuild
      ? `run \`npm run setup\` (builds InfluxDB v${pinnedInfluxVersion()} once), needed only for \`npm run influx:start\` and the tests`
      : `set INFLUXD=/path/to/influxd (InfluxDB 1.x >= ${minimumInfluxVersion()}), or install Go and run \`npm run setup\``,
  };
}

export async function checkInflux(url: string, required: boolean): Promise<CheckResult> {
  if (await influxAnswers(url)) return { name: 'influxdb', status: 'ok', detail: `InfluxDB answers ${url}/ping` };
  return {
    name: 'influxdb',
    status: required ? 'fail' : 'warn',
    detail: `no InfluxDB at ${url} (runs still work; metrics are not streamed)`,
    fix: 'only needed for Grafana and `agent-sla report`: npm run influx:start (or docker compose up -d influxdb), or pass --influx URL',
  };
}

/** The target's health, as the dialect asks it: agent-sla's /health names the contract; any other dialect's answers 2xx. */
export async function checkTargetHealth(url: string, dialect = 'agent-sla', path = '/health'): Promise<CheckResult> {
  try {
    if (dialect !== 'agent-sla') {
      const health = await checkTarget(url, undefined, 5_000, path);
      return { name: 'target', status: 'ok', detail: `${url}${path} answered ${health.status}; the ${dialect} dialect asks no more of it` };
    }
    const health = await checkTarget(url, CONTRACT_VERSION, 5_000, path);
    const db = health.dbKind ? `, db ${health.dbKind}` : '';
    const faults = health.faults.length > 0 ? `, faults ${health.faults.join(',')}` : '';
    return { name: 'target', status: 'ok', detail: `${url} speaks ${health.contract}${db}${faults}` };
  } catch (error) {
    if (!(error instanceof TargetCheckError)) throw error;
    return {
      name: 'target',
      status: 'fail',
      detail: error.message,
      fix: dialect === 'agent-sla'
        ? 'start the target (`npm run agent-sla -- target`), fix the URL, serve the agent-sla contract at /health, or pass --dialect'
        : `fix the URL, set PATH_HEALTH to a route that answers 2xx, or run with --no-health`,
    };
  }
}

export async function checkPort(port: number, use: string): Promise<CheckResult> {
  if (await portIsFree(port)) return { name: `port ${port}`, status: 'ok', detail: `127.0.0.1:${port} is free for ${use}` };
  return {
    name: `port ${port}`,
    status: 'warn',
    detail: `127.0.0.1:${port} is in use (wanted by ${use})`,
    fix: `fine if that is ${use} already; otherwise stop what holds it (\`ss -ltnp 'sport = :${port}'\`) or pick another port`,
  };
}

export function checkNode(): CheckResult {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 20) return { name: 'node', status: 'ok', detail: `Node ${process.versions.node}` };
  return { name: 'node', status: 'fail', detail: `Node ${process.versions.node} is too old`, fix: 'install Node 20 or newer' };
}
