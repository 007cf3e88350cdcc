// InfluxDB 1.x for the metrics tests, `npm run influx:start` and the report, provisioned the way k6 is.
// 1.8.10 is pinned because it is the newest 1.x that builds without cgo: from 1.9 on, influxd links Flux's
// parser from libflux, a Rust library built through cgo (details in build/influxdb/go.mod).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoBinary, compareVersions, findOnPath, goUnusable, isCurrentBuild, ProvisionError, requiredGoOf, type BuildOptions, type GoBinary } from './go-build.ts';
import { influxdbModuleDir, provisionedInfluxd } from './paths.ts';

export interface ResolvedInfluxd {
  path: string;
  version: string;
  source: 'INFLUXD' | 'built';
}

export function pinnedInfluxVersion(): string {
  const goMod = readFileSync(join(influxdbModuleDir, 'go.mod'), 'utf8');
  const match = /^\s*(?:require\s+)?github\.com\/influxdata\/influxdb\s+v(\d+\.\d+\.\d+)/m.exec(goMod);
  if (!match?.[1]) throw new Error('build/influxdb/go.mod does not require github.com/influxdata/influxdb');
  return match[1];
}

/** The oldest influxd we accept from INFLUXD: the pinned minor, for the /api/v2 write and query endpoints. */
export function minimumInfluxVersion(): string {
  return pinnedInfluxVersion().split('.').slice(0, 2).join('.');
}

/** influxd reads its version from the linker, and says "unknown" without it. */
export function influxdBinary(): GoBinary {
  return {
    label: 'InfluxDB',
    moduleDir: influxdbModuleDir,
    pkg: 'github.com/influxdata/influxdb/cmd/influxd',
    output: provisionedInfluxd,
    ldflags: `-X main.version=${pinnedInfluxVersion()} -X main.branch=agent-sla -X main.commit=go-module`,
    env: { CGO_ENABLED: '0' },
  };
}

/** `influxd version` → "1.8.10" (Debian's "1.6.7~rc0" → "1.6.7"), or undefined when it is not an influxd. */
export function influxdVersionOf(binary: string): string | undefined {
  const result = spawnSync(binary, ['version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) return undefined;
  return /InfluxDB v(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1];
}

function fromEnv(value: string, env: NodeJS.ProcessEnv): ResolvedInfluxd {
  const minimum = minimumInfluxVersion();
  // A bare name (INFLUXD=influxd) means the one on PATH: the way to choose a system InfluxDB.
  const path = value.includes('/') ? value : findOnPath(value, env);
  const version = path && influxdVersionOf(path);
  if (!path || !version) {
    throw new ProvisionError(`INFLUXD=${value} is not a runnable influxd: unset INFLUXD, or point it at InfluxDB 1.x >= ${minimum}`);
  }
  if (compareVersions(version, minimum) < 0 || compareVersions(version, '2') >= 0) {
    throw new ProvisionError(`INFLUXD=${value} is InfluxDB v${version}; agent-sla needs InfluxDB 1.x >= ${minimum}: unset INFLUXD to use the pinned build`);
  }
  return { path, version, source: 'INFLUXD' };
}

/** Finds a usable influxd without building: INFLUXD, then an earlier build of build/influxdb as it is now. */
export function findInfluxd(env: NodeJS.ProcessEnv = process.env): ResolvedInfluxd | undefined {
  if (env.INFLUXD) return fromEnv(env.INFLUXD, env);
  const binary = influxdBinary();
  if (!existsSync(binary.output) || !isCurrentBuild(binary)) return undefined;
  const version = influxdVersionOf(binary.output);
  return version === pinnedInfluxVersion() ? { path: binary.output, version, source: 'built' } : undefined;
}

/** Makes an influxd available, building the pinned one only when nothing usable exists. */
export async function ensureInfluxd(options: BuildOptions = {}): Promise<ResolvedInfluxd> {
  const found = findInfluxd(options.env ?? process.env);
  if (found) return found;
  const pinned = pinnedInfluxVersion();
  const noGo = goUnusable(influxdbModuleDir);
  if (noGo) {
    throw new ProvisionError(
      `no InfluxDB found and ${noGo}: set INFLUXD=/path/to/influxd (InfluxDB 1.x >= ${minimumInfluxVersion()}), or install Go >= ${requiredGoOf(influxdbModuleDir)} so setup can build InfluxDB v${pinned}`,
    );
  }
  options.log?.(`building InfluxDB v${pinned} from build/influxdb (first time, and after a change there)`);
  const binary = influxdBinary();
  await buildGoBinary(binary, options);
  const version = influxdVersionOf(binary.output);
  if (version !== pinned) throw new ProvisionError(`built influxd reports v${version ?? '?'}, expected v${pinned}`);
  return { path: binary.output, version, source: 'built' };
}
