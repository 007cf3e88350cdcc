import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requiredGoOf } from './go-build.ts';
import { k6ModuleDir } from './paths.ts';

/** The first k6 with stable `k6/websockets`. */
export const minimumK6Version = '1.6.0';

export function pinnedK6Version(): string {
  const goMod = readFileSync(join(k6ModuleDir, 'go.mod'), 'utf8');
  const match = /^\s*(?:require\s+)?go\.k6\.io\/k6\/v\d+\s+v(\d+\.\d+\.\d+)/m.exec(goMod);
  if (!match?.[1]) throw new Error('build/k6/go.mod does not require go.k6.io/k6/v2');
  return match[1];
}

export function requiredGoVersion(): string {
  return requiredGoOf(k6ModuleDir);
}

/** `k6 version` → "2.2.0", or undefined when the binary is missing or not k6. */
export function k6VersionOf(binary: string): string | undefined {
  const result = spawnSync(binary, ['version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) return undefined;
  return /k6 v(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1];
}
