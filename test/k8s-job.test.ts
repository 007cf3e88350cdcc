import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../build/paths.ts';
import { parseExecArgs } from '../cli/exec-options.ts';
import { looksSecret } from '../cli/k8s-exec-flags.ts';
import { agentSlaDockerfile, defaultAgentSlaImage, imageBuildCommand } from '../cli/k8s-image.ts';
import { jobManifests, manifestsYaml } from '../cli/k8s-job.ts';
import { podWorkingDir } from '../cli/k8s-pod-command.ts';
import { configMapLimitBytes, scriptConfigMapData } from '../cli/k8s-script-bundle.ts';
import { PreflightError } from '../cli/preflight-error.ts';
import { scenarioEntries } from '../cli/scenarios.ts';
import { assertOneLineError, runCli, type CliResult } from './support/cli.ts';
import { startTestInflux } from './support/influx.ts';
import { spawnTarget } from './support/target.ts';

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
interface Container { image?: string; workingDir?: string; command: string[]; args: string[]; env: EnvVar[]; volumeMounts: { name: string; mountPath: string }[] }
interface Metadata { name: string; namespace: string; annotations?: Record<string, string> }
interface JobDocument {
  kind: 'Job';
  metadata: Metadata;
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    backoffLimitPerIndex?: number;
    template: { spec: { restartPolicy?: string; containers: Container[]; volumes: { name: string; configMap?: { name: string } }[] } };
  };
}
interface ConfigMapDocument { kind: 'ConfigMap'; metadata: Metadata; data: Record<string, string> }
interface SecretDocument { kind: 'Secret'; metadata: Metadata; stringData: Record<string, string> }
interface Manifests { secret?: SecretDocument; configMap: ConfigMapDocument; job: JobDocument }

function manifests(yaml: string): Manifests {
  const documents = parseAllDocuments(yaml).map((document) => document.toJS() as JobDocument | ConfigMapDocument | SecretDocument);
  const kinds = documents.map((document) => document.kind);
  assert.ok(kinds.join() === 'ConfigMap,Job' || kinds.join() === 'Secret,ConfigMap,Job', kinds.join());
  const of = <T>(kind: string): T | undefined => documents.find((document) => document.kind === kind) as T | undefined;
  return { secret: of<SecretDocument>('Secret'), configMap: of<ConfigMapDocument>('ConfigMap')!, job: of<JobDocument>('Job')! };
}

const container = (job: JobDocument): Container => job.spec.template.spec.containers[0]!;

/** What the API server or the pods would refuse that the OpenAPI schema lets through, references across documents included. */
function apiServerProblems({ secret, configMap, job }: Manifests): string[] {
  const problems: string[] = [];
  const pod = job.spec.template.spec;
  if (pod.restartPolicy !== 'Never' && pod.restartPolicy !== 'OnFailure') problems.push('a Job pod needs restartPolicy Never or OnFailure');
  if (job.spec.completionMode === 'Indexed' && typeof job.spec.completions !== 'number') problems.push('an Indexed Job needs completions');
  if (job.spec.backoffLimitPerIndex !== undefined && job.spec.completionMode !== 'Indexed') problems.push('backoffLimitPerIndex needs an Indexed Job');
  for (const each of pod.containers) {
    if (!each.image) problems.push('a container has no image');
    for (const mount of each.volumeMounts) if (!pod.volumes.some((volume) => volume.name === mount.name)) problems.push(`mount of unknown volume ${mount.name}`);
    for (const variable of each.env) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref && (ref.name !== secret?.metadata.name || !(ref.key in secret.stringData))) problems.push(`${variable.name} refers to ${ref.name}/${ref.key}, not in the manifests`);
    }
  }
  for (const volume of pod.volumes) if (volume.configMap && volume.configMap.name !== configMap.metadata.name) problems.push(`volume ${volume.name} mounts an unknown ConfigMap`);
  for (const document of [secret, configMap]) if (document && document.metadata.namespace !== job.metadata.namespace) problems.push(`${document.kind} is in another namespace`);
  return problems;
}

/** Throws when Kubernetes would refuse the manifests: its own schema (kubernetes-models), then the rules above. */
function validate(all: Manifests): void {
  new Job(all.job as unknown as ConstructorParameters<typeof Job>[0]).validate();
  new ConfigMap(all.configMap as unknown as ConstructorParameters<typeof ConfigMap>[0]).validate();
  if (all.secret) new Secret(all.secret as unknown as ConstructorParameters<typeof Secret>[0]).validate();
  const problems = apiServerProblems(all);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/** The arguments `node` gets in pod `index`, from the container's own shell line, with a stand-in node that prints them. */
function podArgv(job: JobDocument, index: number | undefined, fakeBin: string): { code: number | null; argv: string[]; stderr: string } {
  const { command, args } = container(job);
  const env: NodeJS.ProcessEnv = { PATH: `${fakeBin}:${process.env.PATH ?? ''}` };
  if (index !== undefined) env.JOB_COMPLETION_INDEX = String(index);
  const run = spawnSync(command[0]!, [...command.slice(1), ...args], { env, encoding: 'utf8' });
  return { code: run.status, argv: run.stdout.split('\0').slice(0, -1), stderr: run.stderr };
}

function runPod(job: JobDocument, index: number, mountDir: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { command, args } = container(job);
  const mounted = args.map((arg) => (arg.startsWith('/scripts/') ? join(mountDir, arg.slice('/scripts/'.length)) : arg));
  const child = spawn(command[0]!, [...command.slice(1), ...mounted], { cwd: repoRoot, env: { ...process.env, ...env, JOB_COMPLETION_INDEX: String(index) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  return new Promise((done) => child.on('close', (code) => {
    clearTimeout(timer);
    done({ code, output });
  }));
}

/** A module hook, loaded through NODE_OPTIONS, that names on stderr every npm package a process loads. */
const packageTrace = (() => {
  const hook = `export async function resolve(specifier, context, next) {
    const result = await next(specifier, context);
    const found = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);
    if (found) process.stderr.write('loaded-package ' + found[1] + '\\n');
    return result;
  }`;
  const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
  return `--import=data:text/javascript,${encodeURIComponent(register)}`;
})();

describe('agent-sla k8s: an Indexed Job of agent-sla exec pods', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-sla-k8s-'));
  const fakeBin = join(dir, 'bin');
  mkdirSync(fakeBin);
  writeFileSync(join(fakeBin, 'node'), "#!/bin/sh\nprintf '%s\\0' \"$@\"\n");
  chmodSync(join(fakeBin, 'node'), 0o755);
  after(() => rmSync(dir, { recursive: true, force: true }));
  const jobFile = join(dir, 'job.yaml');

  it('writes a ConfigMap with the bundle byte for byte and an Indexed Job that Kubernetes accepts', async () => {
    const result = await runCli(['k8s', '--parallelism', '8', '--scenario', 'agent-events', '--testid', 'k8s-1', '--namespace', 'load', '--influx', 'http://influx.monitoring:8086/k6', '--target', 'http://api.staging:8080', '--out', jobFile]);
    assert.equal(result.code, 0, result.stderr);
    const bundle = readFileSync(join(repoRoot, 'dist', 'agent-events.js'));
    const all = manifests(readFileSync(jobFile, 'utf8'));
    validate(all);
    const { configMap, job } = all;
    assert.equal(all.secret, undefined);
    assert.deepEqual([job.spec.completionMode, job.spec.completions, job.spec.parallelism, job.spec.backoffLimitPerIndex], ['Indexed', 8, 8, 0]);
    assert.equal(job.metadata.namespace, 'load');
    assert.equal(job.metadata.annotations?.['agent-sla/testid'], 'k8s-1');
    assert.equal(container(job).image, defaultAgentSlaImage());
    assert.equal(container(job).workingDir, podWorkingDir);
    assert.deepEqual(container(job).volumeMounts.map((mount) => mount.mountPath), ['/scripts']);
    assert.ok(Buffer.from(configMap.data['agent-events.js'] ?? '', 'utf8').equals(bundle), 'the ConfigMap holds dist/agent-events.js exactly');
    assert.match(result.stderr, /npm run agent-sla -- report --testid k8s-1 --influx http:\/\/influx\.monitoring:8086\/k6/);
    assert.match(result.stderr, new RegExp(`kubectl create -f \\S*job\\.yaml`));
    assert.equal(result.stdout, '');
  });

  it('every scenario bundle comes back from the YAML byte for byte', () => {
    for (const entry of scenarioEntries()) {
      const bundle = readFileSync(entry.output);
      const run = { scenario: entry.name, pods: 2, profile: 'load', target: 'http://api:8080', influx: 'http://influxdb:8086/k6', testid: 't', podFlags: { args: [], secretEnv: {} } };
      const { documents } = jobManifests({ ...run, bundle: bundle.toString('utf8'), bundlePath: entry.output, namespace: 'default', image: 'agent-sla:test' });
      const { configMap } = manifests(manifestsYaml('# test\n', documents));
      assert.ok(Buffer.from(configMap.data[`${entry.name}.js`] ?? '', 'utf8').equals(bundle), entry.name);
    }
  });

  it('pod i of N runs segment i/N:(i+1)/N: N distinct segments tile 0..1, each on a command line agent-sla exec accepts', () => {
    const { job } = manifests(readFileSync(jobFile, 'utf8'));
    const pods = job.spec.completions!;
    const plainEnv = Object.fromEntries(container(job).env.filter((entry) => entry.value !== undefined).map((entry) => [entry.name, entry.value!]));
    const bounds: [number, number][] = [];
    for (let index = 0; index < pods; index++) {
      const pod = podArgv(job, index, fakeBin);
      assert.equal(pod.code, 0, pod.stderr);
      assert.deepEqual(pod.argv.slice(0, 2), ['cli/agent-sla.js', 'exec']);
      const segment = pod.argv[pod.argv.indexOf('--execution-segment') + 1] ?? '';
      const match = new RegExp(`^(\\d+)/${pods}:(\\d+)/${pods}$`).exec(segment);
      assert.ok(match, segment);
      bounds.push([Number(match[1]), Number(match[2])]);
      const { config } = parseExecArgs(pod.argv.slice(2), plainEnv, podWorkingDir);
      assert.deepEqual(config.segment, { from: index / pods, to: (index + 1) / pods, index, count: pods });
      assert.equal(config.scriptPath, '/scripts/agent-events.js');
      assert.deepEqual(config.outputs, ['influxdb=http://influx.monitoring:8086/k6']);
      assert.equal(config.overrides.tags?.testid, 'k8s-1');
      assert.equal(config.quiet, true);
      assert.equal(config.env.BASE_URL, 'http://api.staging:8080');
      assert.equal(config.env.PROFILE, 'load');
    }
    assert.deepEqual(bounds, Array.from({ length: pods }, (_, index) => [index, index + 1]), 'in order, no gap, no overlap, 0 to N/N');
    const outsideAJob = podArgv(job, undefined, fakeBin);
    assert.notEqual(outsideAJob.code, 0);
    assert.deepEqual(outsideAJob.argv, []);
    assert.match(outsideAJob.stderr, /JOB_COMPLETION_INDEX/);
  });

  it('the checks above can fail: Kubernetes would refuse each of these broken manifests', () => {
    const good = manifests(readFileSync(jobFile, 'utf8'));
    const broken: [RegExp, (all: Manifests) => void][] = [
      [/completions must be integer/, (all) => void ((all.job.spec as Record<string, unknown>).completions = '8')],
      [/a container has no image/, (all) => void delete container(all.job).image],
      [/must have required property template/, (all) => void delete (all.job.spec as Partial<JobDocument['spec']>).template],
      [/mount of unknown volume elsewhere/, (all) => void (container(all.job).volumeMounts[0]!.name = 'elsewhere')],
      [/mounts an unknown ConfigMap/, (all) => void (all.job.spec.template.spec.volumes[0]!.configMap!.name = 'missing')],
      [/must be string/, (all) => void ((all.configMap.data as Record<string, unknown>)['agent-events.js'] = 42)],
      [/restartPolicy Never or OnFailure/, (all) => void (all.job.spec.template.spec.restartPolicy = 'Always')],
      [/TOKEN refers to .*-credentials\/TOKEN/, (all) => void container(all.job).env.push({ name: 'TOKEN', valueFrom: { secretKeyRef: { name: `${all.job.metadata.name}-credentials`, key: 'TOKEN' } } })],
    ];
    for (const [reason, breakIt] of broken) {
      const copy = structuredClone(good);
      breakIt(copy);
      assert.throws(() => validate(copy), reason);
    }
  });

  it('without --out the YAML goes to stdout, and everything else to stderr', async () => {
    const result = await runCli(['k8s', '--scenario', 'journey', '--parallelism', '2', '--testid', 'k8s-stdout', '--influx', 'http://influxdb:8086/k6']);
    assert.equal(result.code, 0, result.stderr);
    const all = manifests(result.stdout);
    validate(all);
    assert.equal(all.job.metadata.name, 'agent-sla-k8s-stdout');
    assert.match(result.stderr, /report --testid k8s-stdout/);
  });

  it('InfluxDB credentials and secret-looking -e values live in the Secret only: not in the Job, not in the output', async () => {
    const out = join(dir, 'secret.yaml');
    const args = ['k8s', '--scenario', 'journey', '--influx', 'http://k6:hunter2@influxdb:8086/k6', '--out', out, '--', '-e', 'TOKEN=s3cr3t-token', '-e', 'DIALECT=envelope'];
    const result = await runCli(args);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /hunter2|s3cr3t-token/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const all = manifests(readFileSync(out, 'utf8'));
    validate(all);
    const jobText = JSON.stringify(all.job) + JSON.stringify(all.configMap);
    assert.doesNotMatch(jobText, /hunter2|s3cr3t-token/);
    assert.deepEqual(all.secret?.stringData, { TOKEN: 's3cr3t-token', K6_INFLUXDB_USERNAME: 'k6', K6_INFLUXDB_PASSWORD: 'hunter2' });
    const fromSecret = container(all.job).env.filter((entry) => entry.valueFrom).map((entry) => entry.name).sort();
    assert.deepEqual(fromSecret, ['K6_INFLUXDB_PASSWORD', 'K6_INFLUXDB_USERNAME', 'TOKEN']);
    assert.ok(container(all.job).args.includes('DIALECT=envelope'));
    assert.ok(container(all.job).args.includes('influxdb=http://influxdb:8086/k6'));

    const toTerminal = await runCli(args.filter((arg, at) => arg !== '--out' && args[at - 1] !== '--out'));
    assertOneLineError(toTerminal, /--out FILE/);
    assert.doesNotMatch(toTerminal.stderr, /hunter2|s3cr3t-token/);
  });

  it('secret-looking means a credential by its name or a URL with a password, not every name with TOKEN in it', () => {
    for (const name of ['TOKEN', 'ADMIN_TOKEN', 'DB_PASSWORD', 'CLIENT_SECRET', 'OPENAI_API_KEY', 'APIKEY']) assert.equal(looksSecret(name, 'x'), true, name);
    for (const name of ['TOKEN_MODE', 'TOKENS_FILE', 'DIALECT', 'BASE_URL']) assert.equal(looksSecret(name, 'header'), false, name);
    assert.equal(looksSecret('WS_URL', 'ws://user:pw@host/ws'), true);
    assert.equal(looksSecret('WS_URL', 'ws://host/ws'), false);
  });

  it('bad input is one line, exit 2, and nothing is written', async () => {
    const influx = ['--influx', 'http://influxdb:8086/k6'];
    const cases: [string[], RegExp][] = [
      [['--scenario', 'nope', ...influx], /unknown scenario "nope"/],
      [['--influx', 'http://influxdb:8086/k6'], /--scenario is required/],
      [['--scenario', 'journey'], /--influx URL is required/],
      [['--scenario', 'journey', '--influx', 'ftp://k6:topsecret@influxdb/k6'], /bad --influx "ftp:\/\/k6:\*\*\*@influxdb\/k6"/],
      [['--scenario', 'journey', '--influx', 'influxdb:8086'], /bad --influx/],
      [['--scenario', 'journey', ...influx, '--parallelism', '0'], /bad --parallelism "0"/],
      [['--scenario', 'journey', ...influx, '--parallelism', 'four'], /bad --parallelism/],
      [['--scenario', 'journey', ...influx, '--parallelism', '10001'], /from 1 to 10000/],
      [['--scenario', 'journey', ...influx, '--target', 'http://admin:topsecret@api:8080'], /no credentials/],
      [['--scenario', 'journey', ...influx, '--namespace', 'Load_Test'], /bad --namespace/],
      [['--scenario', 'journey', ...influx, '--testid', 'has space'], /bad --testid/],
      [['--scenario', 'journey', ...influx, '--profile', 'huge'], /unknown profile "huge"/],
      [['--scenario', 'journey', ...influx, '--', '--execution-segment', '0:1/2'], /set by the Job/],
      [['--scenario', 'journey', ...influx, '--', '-o', 'json'], /set by the Job/],
      [['--scenario', 'journey', ...influx, '--', '--tag', 'testid=other'], /--testid/],
      [['--scenario', 'journey', ...influx, '--', 'other.js'], /no script goes here/],
      [['--scenario', 'journey', ...influx, '--', '--no-such-flag'], /after --/],
      [['--scenario', 'journey', ...influx, '--', '--vus', 'many'], /--vus/],
    ];
    const results: CliResult[] = [];
    for (let first = 0; first < cases.length; first += 6) {
      const batch = cases.slice(first, first + 6).map(([args], at) => runCli(['k8s', '--out', join(dir, `bad-${first + at}.yaml`), ...args]));
      results.push(...(await Promise.all(batch)));
    }
    results.forEach((result, at) => {
      const [args, mentions] = cases[at]!;
      assertOneLineError(result, mentions);
      assert.doesNotMatch(result.stderr, /topsecret/, args.join(' '));
      assert.equal(existsSync(join(dir, `bad-${at}.yaml`)), false, args.join(' '));
    });
  });

  it('a bundle over the 1 MiB a ConfigMap holds is refused in one line', () => {
    const fits = 'x'.repeat(configMapLimitBytes - 'big.js'.length);
    assert.equal(scriptConfigMapData('big', fits, 'dist/big.js')['big.js'], fits);
    assert.throws(() => scriptConfigMapData('big', `${fits}x`, 'dist/big.js'), (error: Error) => error instanceof PreflightError && /^dist\/big\.js is 1\.00 MiB, over the 1 MiB a ConfigMap can hold$/.test(error.message));
  });

  it('the image the help names is the one the Dockerfile builds, with the working directory the pods use', () => {
    const dockerfile = readFileSync(join(repoRoot, agentSlaDockerfile), 'utf8');
    assert.ok(dockerfile.includes(imageBuildCommand()), imageBuildCommand());
    assert.match(dockerfile, new RegExp(`^WORKDIR ${podWorkingDir}$`, 'm'));
    assert.match(dockerfile, /^RUN npm ci --omit=dev /m);
    assert.ok(readFileSync(join(repoRoot, 'deploy', 'k8s', 'README.md'), 'utf8').includes(imageBuildCommand()));
  });

  it('pods 0 and 1 of 2, run as the Job runs them, stream one test into one InfluxDB, and the report judges it whole', async () => {
    const influx = await startTestInflux();
    const target = await spawnTarget();
    try {
      const out = join(dir, 'two-pods.yaml');
      const rendered = await runCli(['k8s', '--scenario', 'agent-events', '--parallelism', '2', '--profile', 'smoke', '--testid', 'k8s-two-pods', '--influx', `${influx.url}/k6`, '--target', target.url, '--out', out, '--', '-e', 'ITERATIONS=4', '-e', 'RUNS_PER_SESSION=2']);
      assert.equal(rendered.code, 0, rendered.stderr);
      const { configMap, job } = manifests(readFileSync(out, 'utf8'));
      const mountDir = join(dir, 'scripts');
      mkdirSync(mountDir, { recursive: true });
      for (const [key, value] of Object.entries(configMap.data)) writeFileSync(join(mountDir, key), value);
      const env = Object.fromEntries(container(job).env.map((entry) => [entry.name, entry.value ?? '']));
      const pods = await Promise.all([0, 1].map((index) => runPod(job, index, mountDir, { ...env, NODE_OPTIONS: packageTrace })));
      pods.forEach((pod, index) => assert.equal(pod.code, 0, `pod ${index}: ${pod.output.slice(-3000)}`));

      // The image installs production dependencies only (npm ci --omit=dev): the pods must need nothing else.
      const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
      const loaded = new Set(pods.flatMap((pod) => [...pod.output.matchAll(/^loaded-package (\S+)$/gm)].map((match) => match[1]!)));
      assert.ok(loaded.has('tsx'), 'the package trace saw nothing');
      for (const name of loaded) assert.equal(lock.packages[`node_modules/${name}`]?.dev, undefined, `${name} is a devDependency`);

      const report = await runCli(['report', '--testid', 'k8s-two-pods', '--influx', `${influx.url}/k6`, '--out-dir', join(dir, 'report')]);
      assert.equal(report.code, 0, report.stdout + report.stderr);
      const json = JSON.parse(readFileSync(join(dir, 'report', 'report.json'), 'utf8')) as { verdict: string; slas: { sla: { key: string }; stats: { count: number } }[] };
      assert.equal(json.verdict, 'pass');
      // 4 iterations of 2 agent runs, 2 on each pod: 8 runs once each, so both segments are in and none twice.
      assert.equal(json.slas.find((entry) => entry.sla.key === 'runs')?.stats.count, 8);
    } finally {
      await target.stop();
      await influx.stop();
    }
  });
});
