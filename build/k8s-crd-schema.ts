// `tsx build/k8s-crd-schema.ts <k6.io_testruns.yaml> <source note>`: turns the k6-operator's TestRun CRD into the JSON
// schema test/k8s-testrun.test.ts validates our manifests with (deploy/k8s/crd/). Descriptions are dropped: they are
// most of the file's size and validate nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './paths.ts';

export const testRunSchemaPath = join(repoRoot, 'deploy', 'k8s', 'crd', 'testrun-v1alpha1.schema.json');

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key, inner]) => !(key === 'description' && typeof inner === 'string'))
      .map(([key, inner]) => [key, withoutDescriptions(inner)]),
  );
}

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: unknown } }[] };
}

const [crdPath, source] = process.argv.slice(2);
if (!crdPath || !source) {
  console.error('usage: tsx build/k8s-crd-schema.ts <k6.io_testruns.yaml> "<repository@commit>"');
  process.exit(2);
}
const crd = parse(readFileSync(crdPath, 'utf8')) as Crd;
const version = crd.spec.versions.find((entry) => entry.name === 'v1alpha1');
if (crd.spec.names.kind !== 'TestRun' || !version) throw new Error(`${crdPath} is not the TestRun CRD with a v1alpha1 version`);
const schema = { $comment: `openAPIV3Schema of ${crd.spec.group}/v1alpha1 TestRun from ${source}, descriptions removed`, ...(withoutDescriptions(version.schema.openAPIV3Schema) as object) };
writeFileSync(testRunSchemaPath, `${JSON.stringify(schema)}\n`);
console.log(`wrote ${testRunSchemaPath}`);
