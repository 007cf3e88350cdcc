import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { compareVersions, goUnusable, goVersion, isCurrentBuild } from '../build/go-build.ts';
import { minimumK6Version, pinnedK6Version, requiredGoVersion } from '../build/k6-version.ts';
import { influxdbModuleDir, provisionedK6, repoRoot } from '../build/paths.ts';
import { findInfluxd, minimumInfluxVersion, pinnedInfluxVersion } from '../build/provision-influxd.ts';
import { findK6, k6Binary, ProvisionError } from '../build/provision-k6.ts';
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

/** True for the k6 `npm run setup` built from build/k6 as it is now (patches and extensions), wherever K6_BIN points at it. */
function isOurK6(path: string): boolean {
  try {
    return realpathSync(path) === realpathSync(provisionedK6) && isCurrentBuild(k6Binary);
  } catch {
    return false;
  }
}

/** " and lacks k6/x/sse and k6/x/ledger", for the extensions `k6 version` does not list. */
function lacking(path: string): string {
  const listed = spawnSync(path, ['version'], { encoding: 'utf8', timeout: 15_000 }).stdout ?? '';
  const missing = ['k6/x/sse', 'k6/x/ledger'].filter((module) => !listed.includes(module));
  return missing.length > 0 ? ` and lacks ${missing.join(' and ')}` : '';
}

/** k6: a failure only when nothing can be used or built; K6_BIN pointing at nothing always fails; a k6 that is not
 *  our build (K6_BIN, PATH) is a warning, as it lacks the first-frame fix and the extensions. */
export function checkK6(env: NodeJS.ProcessEnv): CheckResult {
  try {
    const k6 = findK6(env);
    if (k6 && !isOurK6(k6.path)) {
      const build = `run \`npm run setup\`, which builds k6 v${pinnedK6Version()} with the fix and both extensions`;
      const fix = k6.source === 'K6_BIN' ? `unset K6_BIN and ${build}` : `install Go >= ${requiredGoVersion()} and ${build} (agent-sla uses a k6 on PATH only when it cannot build its own)`;
      return {
        name: 'k6',
        status: 'warn',
        detail: `k6 v${k6.version} at ${shown(k6.path)} (from ${k6.source}) is not agent-sla's build: k6 as released has the first-frame race (now and then a WebSocket server's first frame is dropped and the session stalls)${lacking(k6.path)}`,
        fix,
      };
    }
    if (k6) return { name: 'k6', status: 'ok', detail: `k6 v${k6.version} at ${shown(k6.path)} (from ${k6.source})` };
  } catch (error) {
    if (!(error instanceof ProvisionError)) throw error;
    const [problem, fix] = error.message.split(/: (?=unset|agent-sla needs)/);
    return { name: 'k6', status: 'fail', detail: problem ?? error.message, fix: fix ?? 'unset K6_BIN, or point it at a k6 binary' };
  }
  const go = goVersion();
  const goUsable = go !== undefined && compareVersions(go, requiredGoVersion()) >= 0;
  return {
    name: 'k6',
    status: goUsable ? 'warn' : 'fail',
    detail: goUsable
      ? `agent-sla's k6 is not built yet (a k6 on PATH is used only where Go cannot build one)`
      : `no k6 >= v${minimumK6Version} (not in K6_BIN, PATH or .tools/bin)`,
    fix: goUsable
      ? `run \`npm run setup\` now (about 3 min), or let the first run build k6 v${pinnedK6Version()}`
      : `install k6 >= v${minimumK6Version} and set K6_BIN=/path/to/k6, or install Go >= ${requiredGoVersion()} and run \`npm run setup\``,
  };
}

/** Go only matters for building k6 and influxd, so its absence fails only when no k6 is there either (see checkK6). */
export function checkGo(): CheckResult {
  const need = requiredGoVersion();
  const have = goVersion();
  if (have && compareVersions(have, need) >= 0) {
    return { name: 'go', status: 'ok', detail: `Go ${have} (can build k6 v${pinnedK6Version()} and InfluxDB v${pinnedInfluxVersion()})` };
  }
  return {
    name: 'go',
    status: 'warn',
    detail: have ? `Go ${have} is older than ${need}` : 'Go not found',
    fix: `only needed to build k6 and influxd: install Go >= ${need}, or provide them via K6_BIN and INFLUXD`,
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
