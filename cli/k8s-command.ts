import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { pinnedK6Version } from '../build/k6-version.ts';
import { repoRoot } from '../build/paths.ts';
import { testRunManifests } from './k8s-testrun.ts';
import { knownProfiles } from './library-options.ts';
import { optionHelpLines, parseCommand, type OptionTable } from './option-table.ts';
import { PreflightError } from './preflight-error.ts';
import { ensureBuilt, scenarioEntries } from './scenarios.ts';
import { normalizeTargetUrl } from './target-health.ts';
import { isValidTestId, newTestId } from './testid.ts';

export const defaultClusterTarget = 'http://agent-sla-target:8080';
export const defaultClusterInflux = 'http://influxdb:8086/k6';
/** Not smoke: its 2 VUs and 4 iterations leave most pods idle (k6 gives a segment no VUs, and it exits 0 having done nothing). */
export const defaultClusterProfile = 'load';

export const k8sOptions = {
  scenario: { type: 'string', value: 'NAME', description: 'the scenario to run (required)' },
  parallelism: { type: 'string', value: 'N', description: 'runner pods; the operator gives each its execution segment (default 4)' },
  profile: { type: 'string', value: 'NAME', description: `load profile of the whole test, shared out across the pods (default: ${defaultClusterProfile})` },
  target: { type: 'string', value: 'URL', description: `your backend as the cluster reaches it (default ${defaultClusterTarget})` },
  influx: { type: 'string', value: 'URL', description: `InfluxDB as the cluster reaches it (default ${defaultClusterInflux}); credentials go to a Secret` },
  testid: { type: 'string', value: 'ID', description: 'the testid tag every pod writes with (default: <scenario>-<yyyymmdd-hhmmss>-<rand>)' },
  namespace: { type: 'string', value: 'NS', description: 'namespace of the ConfigMap and the TestRun (default: default)' },
  image: {
    type: 'string',
    value: 'IMAGE',
    description: `runner image (default agent-sla-k6:${pinnedK6Version()}: \`docker build -t agent-sla-k6:${pinnedK6Version()} build/k6\`, the pinned k6 with our extensions; a stock grafana/k6 image lacks k6/x/sse and k6/x/ledger, so AG-UI streams are read whole and outage windows are not found)`,
  },
  out: { type: 'string', value: 'FILE', description: 'where the manifest goes (default: deploy/k8s/<scenario>-testrun.yaml)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies OptionTable;

export function k8sHelp(): string {
  return [
    'Usage: agent-sla k8s --scenario NAME [options]',
    '',
    'Writes a Kubernetes manifest for the k6-operator (https://github.com/grafana/k6-operator): a ConfigMap with the',
    'bundled scenario and a TestRun (k6.io/v1alpha1) that runs it on --parallelism pods, streaming to InfluxDB with',
    'one testid, so `agent-sla report --testid ID --influx URL` judges the SLAs over every pod.',
    'Apply it with: kubectl apply -f <file>',
    '',
    'Options:',
    ...optionHelpLines(k8sOptions),
  ].join('\n');
}

function clusterUrl(flag: string, text: string): string {
  const url = normalizeTargetUrl(text);
  if (!url) throw new PreflightError(`bad --${flag} "${text}": not an http(s) URL`);
  return url;
}

export async function k8sCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('k8s', argv, k8sOptions);
  if (values.help) {
    console.log(k8sHelp());
    return 0;
  }
  if (positionals.length > 0) throw new PreflightError(`unexpected argument ${positionals[0]} (see agent-sla k8s --help)`);
  const text = (name: keyof typeof k8sOptions): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const scenarios = scenarioEntries();
  const scenarioName = text('scenario');
  if (!scenarioName) throw new PreflightError(`--scenario is required; scenarios: ${scenarios.map((entry) => entry.name).join(', ')}`);
  const scenario = scenarios.find((entry) => entry.name === scenarioName);
  if (!scenario) throw new PreflightError(`unknown scenario "${scenarioName}"; scenarios: ${scenarios.map((entry) => entry.name).join(', ')}`);
  const parallelismText = text('parallelism') ?? '4';
  if (!/^[1-9]\d*$/.test(parallelismText) || Number(parallelismText) > 10_000) {
    throw new PreflightError(`bad --parallelism "${parallelismText}": a whole number from 1 to 10000`);
  }
  const profile = text('profile') ?? defaultClusterProfile;
  const profiles = knownProfiles();
  if (!profiles.includes(profile)) throw new PreflightError(`unknown profile "${profile}"; profiles: ${profiles.join(', ')}`);
  const testid = text('testid') ?? newTestId(scenario.name);
  if (!isValidTestId(testid)) throw new PreflightError(`bad --testid "${testid}": letters, digits, . _ - only`);
  const namespace = text('namespace') ?? 'default';
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) throw new PreflightError(`bad --namespace "${namespace}": a Kubernetes name (a-z, 0-9, -)`);
  const image = text('image') ?? `agent-sla-k6:${pinnedK6Version()}`;
  if (/\s/.test(image) || image === '') throw new PreflightError(`bad --image "${image}"`);

  await ensureBuilt(scenario);
  const { documents, secretName } = testRunManifests({
    scenario: scenario.name,
    script: readFileSync(scenario.output, 'utf8'),
    parallelism: Number(parallelismText),
    profile,
    target: clusterUrl('target', text('target') ?? defaultClusterTarget),
    influx: clusterUrl('influx', text('influx') ?? defaultClusterInflux),
    testid,
    namespace,
    image,
  });
  const out = resolve(text('out') ?? join(repoRoot, 'deploy', 'k8s', `${scenario.name}-testrun.yaml`));
  mkdirSync(dirname(out), { recursive: true });
  const header = `# agent-sla k8s: ${scenario.name} on ${parallelismText} k6-operator runner pods, testid ${testid}. kubectl apply -f this file.\n`;
  writeFileSync(out, header + documents.map((document) => stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n'));
  const shown = relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out);
  console.log(`wrote ${shown}: a ConfigMap and a TestRun for ${scenario.name} (${profile}), parallelism ${parallelismText}, testid ${testid}`);
  if (secretName) console.log(`create the InfluxDB credentials first: kubectl create secret generic ${secretName} --from-literal=username=… --from-literal=password=…`);
  return 0;
}
