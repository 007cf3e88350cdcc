import { relative } from 'node:path';
import { goVersion, compareVersions, minimumK6Version, pinnedK6Version, requiredGoVersion } from '../build/k6-version.ts';
import { repoRoot } from '../build/paths.ts';
import { findK6, ProvisionError } from '../build/provision-k6.ts';
import { CONTRACT_VERSION } from './contract.ts';
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

/** k6: a failure only when nothing can be used or built; K6_BIN pointing at nothing always fails. */
export function checkK6(env: NodeJS.ProcessEnv): CheckResult {
  try {
    const k6 = findK6(env);
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
    detail: `no k6 >= v${minimumK6Version} (not in K6_BIN, PATH or .tools/bin)`,
    fix: goUsable
      ? `run \`npm run setup\` now (about 3 min), or let the first run build k6 v${pinnedK6Version()}`
      : `install k6 >= v${minimumK6Version} and set K6_BIN=/path/to/k6, or install Go >= ${requiredGoVersion()} and run \`npm run setup\``,
  };
}

/** Go only matters for building k6, so its absence fails only when no k6 is there either (see checkK6). */
export function checkGo(): CheckResult {
  const need = requiredGoVersion();
  const have = goVersion();
  if (have && compareVersions(have, need) >= 0) return { name: 'go', status: 'ok', detail: `Go ${have} (can build k6 v${pinnedK6Version()})` };
  return {
    name: 'go',
    status: 'warn',
    detail: have ? `Go ${have} is older than ${need}` : 'Go not found',
    fix: `only needed to build k6: install Go >= ${need}, or provide k6 via K6_BIN`,
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

export async function checkTargetHealth(url: string): Promise<CheckResult> {
  try {
    const health = await checkTarget(url, CONTRACT_VERSION);
    const db = health.dbKind ? `, db ${health.dbKind}` : '';
    const faults = health.faults.length > 0 ? `, faults ${health.faults.join(',')}` : '';
    return { name: 'target', status: 'ok', detail: `${url} speaks ${health.contract}${db}${faults}` };
  } catch (error) {
    if (!(error instanceof TargetCheckError)) throw error;
    return {
      name: 'target',
      status: 'fail',
      detail: error.message,
      fix: 'start the target (`npm run agent-sla -- target`), fix the URL, or serve the agent-sla contract at /health',
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
