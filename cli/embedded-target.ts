import { ConfigError, readOptions, type TargetOptions } from '../target/config.ts';
import { startTarget, type RunningTarget } from '../target/server.ts';
import { PreflightError } from './preflight-error.ts';

export type { RunningTarget };

/**
 * The reference target in this process, on 127.0.0.1, configured as `target/main.ts` is: the flags
 * given here, then the TARGET_* environment and DATABASE_URL (embedded PostgreSQL without it).
 * Port "0" picks a free one.
 */
export async function startEmbeddedTarget(flags: { port: string; faults?: string; dialect?: string; capacity?: string }): Promise<RunningTarget> {
  let options: TargetOptions;
  const optional = (flag: string, value: string | undefined): string[] => (value === undefined ? [] : [flag, value]);
  try {
    options = readOptions(['--port', flags.port, ...optional('--faults', flags.faults), ...optional('--dialect', flags.dialect), ...optional('--capacity', flags.capacity)], process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new PreflightError(`target: ${error.message}`);
    throw error;
  }
  options.host = '127.0.0.1';
  return startTarget(options);
}
