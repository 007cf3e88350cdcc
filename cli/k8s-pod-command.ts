/**
 * What each pod of the Indexed Job runs: `agent-sla exec` on its own execution segment of one test.
 *
 * Kubernetes numbers the pods of an Indexed Job 0..N-1 in JOB_COMPLETION_INDEX. A pod spec cannot do arithmetic,
 * so a POSIX shell line turns that number into the segment i/N:(i+1)/N; every other argument reaches
 * `agent-sla exec` through "$@", untouched, so no value is ever parsed or quoted by the shell.
 */

/** The image's working directory, where the repository is (deploy/k8s/agent-sla.Dockerfile). */
export const podWorkingDir = '/app';

/** `0,1/N,2/N,…,1`: every segment of the test, the same on every pod. */
export function segmentSequence(pods: number): string {
  return ['0', ...Array.from({ length: pods - 1 }, (_, i) => `${i + 1}/${pods}`), '1'].join(',');
}

/** The segment of pod `index` of `pods`, as the shell line below writes it. */
export function segmentOf(index: number, pods: number): string {
  return `${index}/${pods}:${index + 1}/${pods}`;
}

/** `exec` keeps node as the container's main process, so it gets SIGTERM and writes its summary when the pod is stopped. */
export function podShellLine(pods: number): string {
  return `i="\${JOB_COMPLETION_INDEX:?is set by Kubernetes in an Indexed Job}"; exec node cli/agent-sla.js exec --execution-segment "$i/${pods}:$((i + 1))/${pods}" "$@"`;
}

/** The container's command and args: `sh -c LINE agent-sla ARGS…`, where ARGS follow the segment. */
export function podCommand(pods: number, execArgs: string[]): { command: string[]; args: string[] } {
  return { command: ['/bin/sh', '-c', podShellLine(pods), 'agent-sla'], args: execArgs };
}
