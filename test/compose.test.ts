import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { defaultInfluxPort } from '../build/influxdb-server.ts';
import { repoRoot } from '../build/paths.ts';
import { parseExecArgs } from '../cli/exec-options.ts';
import { influxOutputArgs } from '../cli/influx-output.ts';
import { datasourceUid } from '../dashboards/datasource.ts';
import { ENV_DEFAULTS } from '../lib/env-options.ts';

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  environment?: Record<string, string>;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const service = (name: string): Service => {
  const found = compose.services[name];
  assert.ok(found, `service ${name}`);
  return found;
};
const bindMounts = (s: Service) => (s.volumes ?? []).filter((v) => v.startsWith('.')).map((v) => {
  const [source, target] = v.split(':');
  return { source: resolve(repoRoot, source!), target: target! };
});
const published = (s: Service) => (s.ports ?? []).map((p) => {
  const [host, hostPort, containerPort] = p.split(':');
  return { host, hostPort: Number(hostPort), containerPort: Number(containerPort) };
});

test('the compose file has the whole stack, and every dependency names a service', () => {
  assert.deepEqual(Object.keys(compose.services).sort(), ['grafana', 'influxdb', 'loadgen', 'postgres', 'target']);
  for (const [name, s] of Object.entries(compose.services)) {
    const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
    for (const dep of deps) assert.ok(compose.services[dep], `${name} depends on ${dep}`);
  }
});

test('every bind-mounted path exists (dist/ after npm run build) and the load generator runs a bundled scenario', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    for (const mount of bindMounts(s)) assert.ok(existsSync(mount.source), `${name}: ${mount.source} exists`);
  }
  const loadgen = service('loadgen');
  const script = loadgen.command?.at(-1) ?? '';
  const scripts = bindMounts(loadgen).find((m) => script.startsWith(`${m.target}/`));
  assert.ok(scripts, `${script} is inside a mounted directory`);
  const name = script.slice(scripts.target.length + 1).replace(/\.js$/, '');
  assert.ok(existsSync(join(repoRoot, 'scenarios', `${name}.ts`)), `scenarios/${name}.ts is bundled to dist/${name}.js`);
  assert.ok(existsSync(join(scripts.source, `${name}.js`)), `dist/${name}.js exists (npm run build)`);
});

test('the target image builds from files that exist and serves on the port everyone else uses', () => {
  const target = service('target');
  const dockerfile = join(repoRoot, target.build!.context, target.build!.dockerfile ?? 'Dockerfile');
  const text = readFileSync(dockerfile, 'utf8');
  for (const [, source] of text.matchAll(/^COPY\s+(.+?)\s+\S+$/gm)) {
    for (const path of source!.split(/\s+/)) assert.ok(existsSync(join(repoRoot, path)), `Dockerfile COPY ${path}`);
  }
  const port = new URL(ENV_DEFAULTS.BASE_URL).port;
  assert.equal(port, '8080', 'the scenarios default to a target on 8080');
  assert.equal(target.environment?.TARGET_PORT, port);
  assert.deepEqual(target.command?.slice(-2), ['--port', port]);
  assert.match(text, new RegExp(`EXPOSE ${port}\\b`));
  assert.deepEqual(published(target), [{ host: '127.0.0.1', hostPort: 8080, containerPort: 8080 }]);
  assert.equal(new URL(service('loadgen').environment!.BASE_URL!).port, port);
});

test('InfluxDB is 1.8+ (1.x API) on its default port, and the engine streams to it exactly as the CLI does', () => {
  const influx = service('influxdb');
  const [major, minor] = (influx.image!.split(':')[1] ?? '').split('.').map(Number);
  assert.ok(major === 1 && minor! >= 8, `${influx.image} is InfluxDB 1.8 or later 1.x`);
  assert.deepEqual(published(influx), [{ host: '127.0.0.1', hostPort: defaultInfluxPort, containerPort: defaultInfluxPort }]);
  const loadgen = service('loadgen');
  assert.equal(loadgen.image, undefined, 'agent-sla is built from this repository, not pulled');
  const dockerfile = readFileSync(join(repoRoot, loadgen.build!.context, loadgen.build!.dockerfile!), 'utf8');
  assert.match(dockerfile, /ENTRYPOINT \["node", "cli\/agent-sla\.js"\]/);
  assert.doesNotMatch(dockerfile, /k6/i, 'no k6 in the image');
  const [command, ...args] = loadgen.command!;
  assert.equal(command, 'exec');
  // The command line is one `agent-sla exec` accepts, with compose's variables substituted.
  const substituted = args.map((arg) => arg.replace(/\$\{(\w+):-([^}]*)\}/g, (_, _name: string, fallback: string) => fallback));
  const { config } = parseExecArgs(substituted, loadgen.environment ?? {}, repoRoot);
  assert.deepEqual(config.overrides.tags, { testid: 'compose-journey' });
  const cli = influxOutputArgs(`http://influxdb:${defaultInfluxPort}`, 'x');
  assert.deepEqual(config.outputs, [cli.args[1]]);
  for (const [key, value] of Object.entries(cli.env)) assert.equal(loadgen.environment?.[key], value, key);
  assert.equal(influx.environment?.INFLUXDB_DB, 'k6');
});

test('Grafana provisioning: the datasource points at the compose InfluxDB, the dashboards directory holds valid dashboards', () => {
  const grafana = service('grafana');
  assert.ok(published(grafana).every((p) => p.host === '127.0.0.1'));
  const mountOf = (target: string) => bindMounts(grafana).find((m) => m.target === target)?.source;
  const datasources = mountOf('/etc/grafana/provisioning/datasources');
  const providers = mountOf('/etc/grafana/provisioning/dashboards');
  assert.ok(datasources && providers);

  const ds = parse(readFileSync(join(datasources, 'influxdb.yaml'), 'utf8')) as { apiVersion: number; datasources: Record<string, any>[] };
  assert.equal(ds.apiVersion, 1);
  const [influx] = ds.datasources;
  assert.equal(influx?.type, 'influxdb');
  assert.equal(influx?.uid, datasourceUid, 'the uid every panel refers to');
  assert.equal(influx?.url, `http://influxdb:${defaultInfluxPort}`);
  assert.equal(influx?.jsonData?.dbName, 'k6');

  const dp = parse(readFileSync(join(providers, 'agent-sla.yaml'), 'utf8')) as { apiVersion: number; providers: Record<string, any>[] };
  assert.equal(dp.apiVersion, 1);
  const [provider] = dp.providers;
  assert.equal(provider?.type, 'file');
  const dashboardsDir = mountOf(provider?.options?.path);
  assert.ok(dashboardsDir && statSync(dashboardsDir).isDirectory(), `${provider?.options?.path} is mounted`);
  const files = readdirSync(dashboardsDir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 5);
  for (const file of files) {
    const dashboard = JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as { uid?: string; panels?: unknown[] };
    assert.ok(dashboard.uid && (dashboard.panels?.length ?? 0) > 0, file);
  }
  const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
  assert.ok(home.startsWith(`${provider?.options?.path}/`) && files.includes(home.split('/').at(-1)!), 'home dashboard is a provisioned file');
});
