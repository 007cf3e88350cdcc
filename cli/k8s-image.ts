import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../build/paths.ts';

/** The Dockerfile of the image the pods run: Node 20 and this repository, entry `node cli/agent-sla.js`. */
export const agentSlaDockerfile = 'deploy/k8s/agent-sla.Dockerfile';

/** `agent-sla:<version in package.json>`, the tag the build line in the help and deploy/k8s/README.md gives it. */
export function defaultAgentSlaImage(): string {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  return `agent-sla:${version}`;
}

export function imageBuildCommand(): string {
  return `docker build -f ${agentSlaDockerfile} -t ${defaultAgentSlaImage()} .`;
}
