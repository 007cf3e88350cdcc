import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { defaultInfluxPort } from '../build/influxdb-server.ts';
import { pinnedK6Version } from '../build/k6-version.ts';
import { patchFiles } from '../build/go-patches.ts';
import { k6PatchDir, repoRoot } from '../build/paths.ts';
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
  assert.deepEqual(Object.keys(compose.services).sort(), ['grafana', 'influxdb', 'k6', 'postgres', 'target']);
  for (const [name, s] of Object.entries(compose.services)) {
    const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
    for (const dep of deps) assert.ok(compose.services[dep], `${name} depends on ${dep}`);
  }
});

test('every bind-mounted path exists (dist/ after npm run build) and the k6 script is a bundled scenario', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    for (const mount of bindMounts(s)) assert.ok(existsSync(mount.source), `${name}: ${mount.source} exists`);
  }
  const k6 = service('k6');
  const script = k6.command?.at(-1) ?? '';
  const scripts = bindMounts(k6).find((m) => script.startsWith(`${m.target}/`));
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
  assert.equal(new URL(service('k6').environment!.BASE_URL!).port, port);
});

test('InfluxDB is 1.8+ (1.x API) on its default port, and k6 streams to it exactly as the CLI does', () => {
  const influx = service('influxdb');
  const [major, minor] = (influx.image!.split(':')[1] ?? '').split('.').map(Number);
  assert.ok(major === 1 && minor! >= 8, `${influx.image} is InfluxDB 1.8 or later 1.x`);
  assert.deepEqual(published(influx), [{ host: '127.0.0.1', hostPort: defaultInfluxPort, containerPort: defaultInfluxPort }]);
  const k6 = service('k6');
  assert.equal(k6.image, undefined, 'k6 is built from the pinned module, not pulled as a release image');
  const context = join(repoRoot, k6.build!.context);
  assert.match(readFileSync(join(context, 'go.mod'), 'utf8'), new RegExp(`go\\.k6\\.io/k6/v2 v${pinnedK6Version().replace(/\./g, '\\.')}\\b`));
  const dockerfile = readFileSync(join(context, k6.build!.dockerfile ?? 'Dockerfile'), 'utf8');
  // The whole module goes in, so every extension main.go imports (k6/x/sse, k6/x/ledger) is built into the image.
  assert.match(dockerfile, /COPY \. \.\//);
  const extensions = [...readFileSync(join(context, 'main.go'), 'utf8').matchAll(/_ "agent-sla\/build\/k6\/([\w-]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(extensions.sort(), ['ledger', 'sse']);
  for (const dir of extensions) assert.ok(readFileSync(join(context, dir, `${dir === 'sse' ? 'module' : dir}.go`), 'utf8').length > 0, dir);
  // The patches `npm run setup` applies (the first-frame race fix) come from the same directory and go in with
  // the module; the image vendors the modules, applies every patch to them, then builds from the vendored copy.
  assert.equal(resolve(context, 'patches'), k6PatchDir);
  assert.ok(patchFiles(k6PatchDir).length > 0, 'build/k6/patches holds the first-frame race fix');
  const steps = [/go mod vendor/, /git apply\b[^\n]*patches\/\*\.patch/, /go build -mod=vendor\b/].map((step) => dockerfile.search(step));
  assert.ok(steps.every((at) => at >= 0), `vendor, apply, build: ${steps.join(', ')}`);
  assert.deepEqual([...steps].sort((a, b) => a - b), steps, 'vendor, then apply the patches, then build');
  assert.match(dockerfile, /ENTRYPOINT \["k6"\]/);
  const cli = influxOutputArgs(`http://influxdb:${defaultInfluxPort}`, 'x');
  const out = k6.command!.indexOf('--out');
  assert.equal(k6.command![out + 1], cli.args[1]);
  for (const [key, value] of Object.entries(cli.env)) assert.equal(k6.environment?.[key], value, key);
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
