import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../build/paths.ts';
import { scriptForConfigMap } from '../cli/k8s-testrun.ts';
import { runCli } from './support/cli.ts';
import { bundlePath, runK6 } from './support/k6.ts';
import { spawnTarget } from './support/target.ts';

interface ConfigMap { kind: 'ConfigMap'; metadata: { name: string; namespace: string }; data: Record<string, string> }
interface TestRun {
  apiVersion: string;
  kind: 'TestRun';
  metadata: { name: string; namespace: string };
  spec: {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
    arguments: string;
    runner: { image: string; env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[] };
  };
}

/** The k6-operator's own TestRun schema (deploy/k8s/crd), with Kubernetes' extension keywords allowed. */
function testRunValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'k8s', 'crd', 'testrun-v1alpha1.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false });
  addFormats.default(ajv);
  for (const keyword of ['x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations', 'x-kubernetes-embedded-resource']) {
    ajv.addKeyword(keyword);
  }
  return ajv.compile(schema);
}

function manifests(path: string): { configMap: ConfigMap; testRun: TestRun } {
  const documents = parseAllDocuments(readFileSync(path, 'utf8')).map((document) => document.toJS() as ConfigMap | TestRun);
  assert.deepEqual(documents.map((document) => document.kind), ['ConfigMap', 'TestRun']);
  return { configMap: documents[0] as ConfigMap, testRun: documents[1] as TestRun };
}

describe('agent-sla k8s: a k6-operator TestRun', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-sla-k8s-'));
  const validate = testRunValidator();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a ConfigMap with the bundle and a TestRun the CRD schema accepts, carrying parallelism, InfluxDB and the testid', async () => {
    const out = join(dir, 'testrun.yaml');
    const result = await runCli(['k8s', '--parallelism', '8', '--scenario', 'agent-events', '--testid', 'k8s-1', '--namespace', 'load', '--influx', 'http://influx.monitoring:8086/k6', '--target', 'http://api.staging:8080', '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    const { configMap, testRun } = manifests(out);
    assert.ok(validate(testRun), JSON.stringify(validate.errors));
    assert.equal(testRun.apiVersion, 'k6.io/v1alpha1');
    assert.equal(testRun.spec.parallelism, 8);
    assert.deepEqual(testRun.spec.script.configMap, { name: configMap.metadata.name, file: 'agent-events.js' });
    assert.equal(configMap.metadata.namespace, testRun.metadata.namespace);
    assert.equal(configMap.data['agent-events.js'], scriptForConfigMap(readFileSync(bundlePath('agent-events'), 'utf8')));
    const args = testRun.spec.arguments.split(' ');
    assert.equal(args[args.indexOf('--out') + 1], 'influxdb=http://influx.monitoring:8086/k6');
    assert.equal(args[args.indexOf('--tag') + 1], 'testid=k8s-1');
    assert.ok(args.includes('BASE_URL=http://api.staging:8080'));
    assert.ok(testRun.spec.runner.env.some((entry) => entry.name === 'K6_INFLUXDB_TAGS_AS_FIELDS'));
  });

  it('the script from the ConfigMap runs in k6 as it is, with no source map beside it', async () => {
    const { configMap } = manifests(join(dir, 'testrun.yaml'));
    const script = join(dir, 'agent-events.js');
    writeFileSync(script, configMap.data['agent-events.js']!);
    const target = await spawnTarget();
    try {
      const run = await runK6(script, { env: { BASE_URL: target.url, ITERATIONS: '1', SUMMARY_DIR: dir } });
      assert.equal(run.code, 0, run.stderr.slice(-2000));
    } finally {
      await target.stop();
    }
  });

  it('puts InfluxDB credentials in a Secret reference, never in the manifest or the output', async () => {
    const out = join(dir, 'secret.yaml');
    const result = await runCli(['k8s', '--scenario', 'journey', '--influx', 'http://k6:hunter2@influxdb:8086/k6', '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(out, 'utf8');
    assert.doesNotMatch(text + result.stdout + result.stderr, /hunter2/);
    const { testRun } = manifests(out);
    assert.ok(validate(testRun), JSON.stringify(validate.errors));
    const password = testRun.spec.runner.env.find((entry) => entry.name === 'K6_INFLUXDB_PASSWORD');
    assert.deepEqual(password?.valueFrom?.secretKeyRef, { name: 'agent-sla-journey-influxdb', key: 'password' });
    assert.match(result.stdout, /kubectl create secret generic agent-sla-journey-influxdb/);
  });

  it('the schema rejects what the operator would reject, so the check above can fail', () => {
    const { testRun } = manifests(join(dir, 'testrun.yaml'));
    const broken = [
      { ...testRun, spec: { ...testRun.spec, parallelism: '8' } },
      { ...testRun, spec: { ...testRun.spec, script: undefined } },
      { ...testRun, spec: { ...testRun.spec, cleanup: 'always' } },
      { ...testRun, spec: { ...testRun.spec, script: { configMap: { file: 'x.js' } } } },
    ];
    for (const manifest of broken) assert.equal(validate(JSON.parse(JSON.stringify(manifest))), false, JSON.stringify(manifest.spec).slice(0, 200));
  });

  it('the committed example (deploy/k8s/agent-events-testrun.yaml) is valid and holds a bundled scenario', () => {
    const { configMap, testRun } = manifests(join(repoRoot, 'deploy', 'k8s', 'agent-events-testrun.yaml'));
    assert.ok(validate(testRun), JSON.stringify(validate.errors));
    assert.equal(testRun.spec.parallelism, 8);
    const script = configMap.data['agent-events.js'] ?? '';
    assert.match(script, /export\{agent_events_default as default,handleSummary,options,setup\};\n$/);
    assert.doesNotMatch(script, /sourceMappingURL/);
  });

  it('bad flags are one line and exit 2', async () => {
    for (const args of [['--scenario', 'nope'], ['--scenario', 'journey', '--parallelism', '0'], ['--scenario', 'journey', '--influx', 'ftp://x'], ['--parallelism', '2']]) {
      const result = await runCli(['k8s', ...args, '--out', join(dir, 'bad.yaml')]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
  });
});
