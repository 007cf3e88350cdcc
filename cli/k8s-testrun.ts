import { influxOutputArgs } from './influx-output.ts';

/** What `agent-sla k8s` puts into a k6-operator TestRun. */
export interface TestRunInput {
  scenario: string;
  /** The bundled scenario (dist/<scenario>.js), as k6 runs it. */
  script: string;
  parallelism: number;
  profile: string;
  /** The backend as the cluster reaches it. */
  target: string;
  /** InfluxDB as the cluster reaches it; a path names the database. */
  influx: string;
  testid: string;
  namespace: string;
  image: string;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export const scriptFile = (scenario: string): string => `${scenario}.js`;

/** The bundle without its source-map comment: the .map file is not in the ConfigMap, and k6 needs none. */
export function scriptForConfigMap(bundle: string): string {
  return bundle.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

/**
 * A ConfigMap with the script and a TestRun that runs it on `parallelism` runner pods, each taking its execution
 * segment, all streaming to InfluxDB with one testid. InfluxDB credentials in the URL become references to a
 * Secret `<name>-influxdb` (keys username, password), so they never land in the manifest.
 */
export function testRunManifests(input: TestRunInput): { documents: object[]; secretName?: string } {
  const name = `agent-sla-${input.scenario}`;
  const configMapName = `${name}-script`;
  const labels = { 'app.kubernetes.io/name': 'agent-sla', 'app.kubernetes.io/component': 'load', 'agent-sla/testid': input.testid };
  const output = influxOutputArgs(input.influx, input.testid);
  const secretName = `${name}-influxdb`;
  const env: EnvVar[] = Object.entries(output.env).map(([key, value]) => {
    if (key === 'K6_INFLUXDB_USERNAME') return { name: key, valueFrom: { secretKeyRef: { name: secretName, key: 'username' } } };
    if (key === 'K6_INFLUXDB_PASSWORD') return { name: key, valueFrom: { secretKeyRef: { name: secretName, key: 'password' } } };
    return { name: key, value };
  });
  env.push({ name: 'K6_NO_USAGE_REPORT', value: 'true' });
  const usesSecret = env.some((entry) => entry.valueFrom);
  const scenarioEnv = { PROFILE: input.profile, BASE_URL: input.target, SUMMARY_DIR: '/tmp' };
  const args = [...output.args, ...Object.entries(scenarioEnv).flatMap(([key, value]) => ['-e', `${key}=${value}`])];
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName, namespace: input.namespace, labels },
    data: { [scriptFile(input.scenario)]: scriptForConfigMap(input.script) },
  };
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name, namespace: input.namespace, labels },
    spec: {
      parallelism: input.parallelism,
      script: { configMap: { name: configMapName, file: scriptFile(input.scenario) } },
      arguments: args.join(' '),
      separate: false,
      cleanup: 'post',
      runner: { image: input.image, env, metadata: { labels } },
    },
  };
  return { documents: [configMap, testRun], ...(usesSecret ? { secretName } : {}) };
}
