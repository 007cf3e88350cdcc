import { PreflightError } from './preflight-error.ts';

/** Kubernetes refuses a ConfigMap whose data, keys and values together, is over 1 MiB. */
export const configMapLimitBytes = 1024 * 1024;

/** Where the ConfigMap with the bundle is mounted in every pod. */
export const scriptsMountPath = '/scripts';

export const scriptFileName = (scenario: string): string => `${scenario}.js`;

/**
 * The ConfigMap data: the bundle as `npm run build` wrote it, byte for byte (its source map stays behind: the
 * engine does not read it). `shownPath` names the bundle in the error.
 */
export function scriptConfigMapData(scenario: string, bundle: string, shownPath: string): Record<string, string> {
  const key = scriptFileName(scenario);
  const bytes = Buffer.byteLength(key) + Buffer.byteLength(bundle);
  if (bytes > configMapLimitBytes) {
    throw new PreflightError(`${shownPath} is ${(bytes / configMapLimitBytes).toFixed(2)} MiB, over the 1 MiB a ConfigMap can hold`);
  }
  return { [key]: bundle };
}
