import { stringify } from 'yaml';
import { influxOutputArgs } from './influx-output.ts';
import type { PodExecFlags } from './k8s-exec-flags.ts';
import { podCommand, podWorkingDir, segmentSequence } from './k8s-pod-command.ts';
import { scriptConfigMapData, scriptFileName, scriptsMountPath } from './k8s-script-bundle.ts';

/** What every pod runs, apart from its segment. */
export interface PodRun {
  scenario: string;
  pods: number;
  profile: string;
  /** The backend as the cluster reaches it. */
  target: string;
  /** InfluxDB as the cluster reaches it; a path names the database; credentials go to the Secret. */
  influx: string;
  testid: string;
  podFlags: PodExecFlags;
}

/** What `agent-sla k8s` puts into its manifests. */
export interface JobInput extends PodRun {
  /** dist/<scenario>.js as `npm run build` wrote it, and its path as the user sees it. */
  bundle: string;
  bundlePath: string;
  namespace: string;
  image: string;
}

export interface JobManifests {
  /** Secret (when there are credentials), ConfigMap, Job: in the order `kubectl create` needs them. */
  documents: object[];
  jobName: string;
  secretName: string | undefined;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/**
 * `agent-sla-<testid>` as a Kubernetes name, short enough that `<name>-<index>`, each pod's hostname, stays
 * within 63 characters for up to 10,000 pods.
 */
export function jobNameFor(testid: string): string {
  const slug = `agent-sla-${testid}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return slug.slice(0, 57).replace(/-+$/, '');
}

/** Every pod's `agent-sla exec` arguments after its --execution-segment: the same on every pod. */
export function podExecArgs(run: PodRun): string[] {
  const scenarioEnv = { PROFILE: run.profile, BASE_URL: run.target, SUMMARY_DIR: '/tmp' };
  return [
    '--execution-segment-sequence',
    segmentSequence(run.pods),
    '-q',
    ...influxOutputArgs(run.influx, run.testid).args,
    ...Object.entries(scenarioEnv).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    ...run.podFlags.args,
    `${scriptsMountPath}/${scriptFileName(run.scenario)}`,
  ];
}

const influxCredentials = new Set(['K6_INFLUXDB_USERNAME', 'K6_INFLUXDB_PASSWORD']);

/**
 * A ConfigMap with the bundle, and an Indexed Job of `pods` pods: pod i runs `agent-sla exec` on segment
 * i/N:(i+1)/N, all streaming to one InfluxDB with one testid. Credentials (InfluxDB's, secret-looking -e values)
 * are in a Secret only; the Job refers to them by name.
 */
export function jobManifests(input: JobInput): JobManifests {
  const jobName = jobNameFor(input.testid);
  const configMapName = `${jobName}-script`;
  const secretName = `${jobName}-credentials`;
  const labels = { 'app.kubernetes.io/name': 'agent-sla', 'app.kubernetes.io/component': 'load-generator', 'app.kubernetes.io/instance': jobName };
  const annotations = { 'agent-sla/testid': input.testid, 'agent-sla/scenario': input.scenario, 'agent-sla/profile': input.profile };
  const metadata = (name: string): object => ({ name, namespace: input.namespace, labels, annotations });

  const secretData: Record<string, string> = { ...input.podFlags.secretEnv };
  const env: EnvVar[] = [];
  for (const [name, value] of Object.entries(influxOutputArgs(input.influx, input.testid).env)) {
    if (influxCredentials.has(name)) secretData[name] = value;
    else env.push({ name, value });
  }
  for (const name of Object.keys(secretData)) env.push({ name, valueFrom: { secretKeyRef: { name: secretName, key: name } } });
  const hasSecret = Object.keys(secretData).length > 0;

  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: metadata(secretName), type: 'Opaque', stringData: secretData };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(configMapName), data: scriptConfigMapData(input.scenario, input.bundle, input.bundlePath) };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(jobName),
    spec: {
      completionMode: 'Indexed',
      completions: input.pods,
      parallelism: input.pods,
      // No retries: a second try would run that segment again under the same testid, counting its load twice. A pod
      // that fails (exit 99 when its share broke a threshold) marks only its own index failed; the others go on.
      backoffLimitPerIndex: 0,
      template: {
        metadata: { labels, annotations },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'agent-sla',
              image: input.image,
              workingDir: podWorkingDir,
              ...podCommand(input.pods, podExecArgs(input)),
              env,
              volumeMounts: [{ name: 'scripts', mountPath: scriptsMountPath, readOnly: true }],
            },
          ],
          volumes: [{ name: 'scripts', configMap: { name: configMapName } }],
        },
      },
    },
  };
  return { documents: [...(hasSecret ? [secret] : []), configMap, job], jobName, secretName: hasSecret ? secretName : undefined };
}

/** One YAML stream, `header` (comment lines) first. */
export function manifestsYaml(header: string, documents: object[]): string {
  return header + documents.map((document) => stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
