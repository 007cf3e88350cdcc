import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { BundleEntry } from '../build/bundle.ts';
import { checkExecArgs } from './exec-options.ts';
import { podExecFlags } from './k8s-exec-flags.ts';
import { defaultAgentSlaImage, imageBuildCommand } from './k8s-image.ts';
import { jobManifests, manifestsYaml, podExecArgs, type JobManifests, type PodRun } from './k8s-job.ts';
import { podWorkingDir, segmentOf } from './k8s-pod-command.ts';
import { knownProfiles } from './library-options.ts';
import { optionHelpLines, parseCommand, type OptionTable, type ParsedCommand } from './option-table.ts';
import { PreflightError } from './preflight-error.ts';
import { ensureBuilt, scenarioEntries } from './scenarios.ts';
import { isValidTestId, newTestId } from './testid.ts';
import { redactUrl } from './url-credentials.ts';

export const defaultClusterTarget = 'http://agent-sla-target:8080';
/** Not smoke: its 2 VUs and 4 iterations leave most pods idle (a segment given no VUs does nothing, and exits 0). */
export const defaultClusterProfile = 'load';
export const defaultParallelism = 4;
const maxParallelism = 10_000;

export const k8sOptions = {
  scenario: { type: 'string', value: 'NAME', description: 'the scenario to run (required)' },
  influx: { type: 'string', value: 'URL', description: 'InfluxDB as the pods reach it, a path naming the database (required); credentials in it go to a Secret' },
  parallelism: { type: 'string', value: 'N', description: `pods; pod i of N runs execution segment i/N:(i+1)/N of the test (default ${defaultParallelism}, at most ${maxParallelism})` },
  profile: { type: 'string', value: 'NAME', description: `load profile of the whole test, shared out across the pods (default: ${defaultClusterProfile})` },
  target: { type: 'string', value: 'URL', description: `your backend as the pods reach it (default ${defaultClusterTarget})` },
  testid: { type: 'string', value: 'ID', description: 'the testid tag every pod writes with; the Job is named after it (default: <scenario>-<yyyymmdd-hhmmss>-<rand>)' },
  namespace: { type: 'string', value: 'NS', description: 'namespace of the Job, its ConfigMap and Secret (default: default)' },
  image: { type: 'string', value: 'IMAGE', description: `the agent-sla image the pods run (default ${defaultAgentSlaImage()}, from \`${imageBuildCommand()}\`)` },
  out: { type: 'string', value: 'FILE', description: 'write the manifests to FILE (mode 600 when it holds a Secret) instead of stdout' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

export function k8sHelp(): string {
  return [
    'Usage: agent-sla k8s --scenario NAME --influx URL [options] [-- agent-sla exec flags]',
    '',
    'Writes Kubernetes manifests (YAML) that run a scenario on --parallelism pods with no operator: a ConfigMap',
    'with the bundled scenario, mounted at /scripts, and an Indexed Job whose pod i runs `agent-sla exec` on',
    'execution segment i/N:(i+1)/N of one test. Every pod streams to the same InfluxDB with the same testid, so',
    '`agent-sla report --testid ID --influx URL` gives the verdict of the whole run. Needs Kubernetes 1.29 or newer.',
    '',
    'Flags after -- go to every pod\'s `agent-sla exec` (see agent-sla exec --help), e.g. -- -e DIALECT=envelope.',
    'Credentials in --influx, and -e values that look secret (TOKEN, *_TOKEN, *_PASSWORD, *_SECRET, *_API_KEY, a URL with a',
    'password), go to a Secret in the manifests, which are then written to --out FILE only, never to the terminal.',
    '',
    'Start it: kubectl create -f FILE (or: agent-sla k8s … | kubectl create -f -). deploy/k8s/README.md has the rest.',
    '',
    'Options:',
    ...optionHelpLines(k8sOptions),
  ].join('\n');
}

function clusterUrl(flag: string, text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new PreflightError(`bad --${flag} "${redactUrl(text)}": not an http(s) URL`);
  return url;
}

const withoutTrailingSlash = (url: URL): string => url.href.replace(/\/+$/, '');

interface K8sSettings {
  scenario: BundleEntry;
  run: PodRun;
  namespace: string;
  image: string;
  /** Undefined: stdout. */
  out: string | undefined;
}

/** Every flag read and checked, one line for the first problem, before anything is built or written. */
function k8sSettings(values: ParsedCommand['values'], passthrough: string[]): K8sSettings {
  const text = (name: keyof typeof k8sOptions): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const scenarios = scenarioEntries();
  const scenarioName = text('scenario');
  if (!scenarioName) throw new PreflightError(`--scenario is required; scenarios: ${scenarios.map((entry) => entry.name).join(', ')}`);
  const scenario = scenarios.find((entry) => entry.name === scenarioName);
  if (!scenario) throw new PreflightError(`unknown scenario "${scenarioName}"; scenarios: ${scenarios.map((entry) => entry.name).join(', ')}`);
  const influxText = text('influx');
  if (!influxText) throw new PreflightError('--influx URL is required: every pod streams there, and the report reads the run from there');
  const influx = clusterUrl('influx', influxText);
  const target = clusterUrl('target', text('target') ?? defaultClusterTarget);
  if (target.username || target.password) throw new PreflightError(`bad --target "${redactUrl(target.href)}": no credentials in it; users sign in as AUTH_MODE says (-- -e AUTH_MODE=… -e TOKEN=…)`);
  const parallelismText = text('parallelism') ?? String(defaultParallelism);
  if (!/^[1-9]\d*$/.test(parallelismText) || Number(parallelismText) > maxParallelism) {
    throw new PreflightError(`bad --parallelism "${parallelismText}": a whole number from 1 to ${maxParallelism}`);
  }
  const profile = text('profile') ?? defaultClusterProfile;
  const profiles = knownProfiles();
  if (!profiles.includes(profile)) throw new PreflightError(`unknown profile "${profile}"; profiles: ${profiles.join(', ')}`);
  const testid = text('testid') ?? newTestId(scenario.name);
  if (!isValidTestId(testid)) throw new PreflightError(`bad --testid "${testid}": letters, digits, . _ - only`);
  const namespace = text('namespace') ?? 'default';
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) throw new PreflightError(`bad --namespace "${namespace}": a Kubernetes name (a-z, 0-9, -)`);
  const image = text('image') ?? defaultAgentSlaImage();
  if (image === '' || /\s/.test(image)) throw new PreflightError(`bad --image "${image}"`);
  const podFlags = podExecFlags(passthrough);
  const out = text('out');
  const holdsCredentials = influx.username !== '' || influx.password !== '' || Object.keys(podFlags.secretEnv).length > 0;
  if (holdsCredentials && out === undefined) {
    throw new PreflightError('the manifests hold a Secret (InfluxDB credentials or a secret-looking -e value): write them to a file with --out FILE');
  }
  const pods = Number(parallelismText);
  const run: PodRun = { scenario: scenario.name, pods, profile, target: withoutTrailingSlash(target), influx: withoutTrailingSlash(influx), testid, podFlags };
  // The pods would find a bad flag only once they run; pod 0's command line, read as `agent-sla exec` reads it, finds it now.
  checkExecArgs(['--execution-segment', segmentOf(0, pods), ...podExecArgs(run)], {}, podWorkingDir, 'the pods\' flags');
  return { scenario, run, namespace, image, out };
}

const shown = (path: string): string => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));

/** Writes the YAML to `file`, readable by its owner alone when it holds a Secret. */
function writeManifests(file: string, yaml: string, holdsSecret: boolean): void {
  mkdirSync(dirname(file), { recursive: true });
  const mode = holdsSecret ? 0o600 : 0o644;
  if (existsSync(file)) chmodSync(file, mode);
  writeFileSync(file, yaml, { mode });
}

function nextSteps(settings: K8sSettings, file: string | undefined, manifests: JobManifests): string[] {
  const { run, namespace } = settings;
  const { jobName, secretName } = manifests;
  const ns = namespace === 'default' ? '' : ` -n ${namespace}`;
  return [
    `${file ? `wrote ${shown(file)}` : 'manifests on stdout'}: ${secretName ? `Secret ${secretName}, ` : ''}ConfigMap ${jobName}-script, Job ${jobName} (${run.pods} pods), testid ${run.testid}`,
    `start:   ${file ? `kubectl create -f ${shown(file)}` : 'pipe the manifests into kubectl create -f -'}`,
    `watch:   kubectl get job ${jobName}${ns} --watch    logs: kubectl logs${ns} -f -l job-name=${jobName} --prefix --max-log-requests ${Math.max(run.pods, 5)}`,
    `verdict: npm run agent-sla -- report --testid ${run.testid} --influx ${redactUrl(run.influx)}    (an InfluxDB address you can reach, e.g. through kubectl port-forward)`,
    `cleanup: kubectl delete${ns} job/${jobName} configmap/${jobName}-script${secretName ? ` secret/${secretName}` : ''}`,
  ];
}

export async function k8sCommand(argv: string[]): Promise<number> {
  const { values, positionals, passthrough } = parseCommand('k8s', argv, k8sOptions);
  if (values.help) {
    console.log(k8sHelp());
    return 0;
  }
  if (positionals.length > 0) throw new PreflightError(`unexpected argument ${positionals[0]} (see agent-sla k8s --help)`);
  const settings = k8sSettings(values, passthrough);
  const { scenario, run } = settings;
  await ensureBuilt(scenario);
  const manifests = jobManifests({ ...run, bundle: readFileSync(scenario.output, 'utf8'), bundlePath: shown(scenario.output), namespace: settings.namespace, image: settings.image });
  const header = `# agent-sla k8s: ${run.scenario} (${run.profile}) on ${run.pods} pods of Job ${manifests.jobName}, testid ${run.testid}. Start it with: kubectl create -f <this file>\n`;
  const yaml = manifestsYaml(header, manifests.documents);
  const file = settings.out === undefined ? undefined : resolve(settings.out);
  if (file) writeManifests(file, yaml, manifests.secretName !== undefined);
  else process.stdout.write(yaml);
  // stderr: stdout carries the manifests alone, ready for a pipe into kubectl.
  console.error(nextSteps(settings, file, manifests).join('\n'));
  return 0;
}
