import { parseArgs } from 'node:util';
import { execFlags } from './exec-options.ts';
import { PreflightError } from './preflight-error.ts';

/** The flags after `agent-sla k8s … --`, for every pod's `agent-sla exec`, with secret-looking values set apart. */
export interface PodExecFlags {
  /** Passed on the command line, in the Job. */
  args: string[];
  /** `-e NAME=VALUE` pairs that look like credentials: they go to the Secret, and reach __ENV as container env. */
  secretEnv: Record<string, string>;
}

/** Set by the Job itself: passed again, they would break the split of the test across the pods. */
const setByTheJob = new Set(['execution-segment', 'execution-segment-sequence', 'out', 'help']);

const secretName = /(^|_)(TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|CREDENTIALS?)$/i;

/** TOKEN, ADMIN_TOKEN, DB_PASSWORD, CLIENT_SECRET, OPENAI_API_KEY… or a URL with a password in it. */
export function looksSecret(name: string, value: string): boolean {
  if (secretName.test(name)) return true;
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}

export function podExecFlags(argv: string[]): PodExecFlags {
  let tokens;
  try {
    tokens = parseArgs({ args: argv, options: execFlags, allowPositionals: true, strict: true, tokens: true }).tokens;
  } catch (error) {
    throw new PreflightError(`after --: ${(error as Error).message.split('\n')[0]}; see agent-sla exec --help`);
  }
  const result: PodExecFlags = { args: [], secretEnv: {} };
  for (const token of tokens) {
    if (token.kind === 'positional') throw new PreflightError(`after --: unexpected "${token.value}"; the pods run the scenario's bundle, so no script goes here`);
    if (token.kind === 'option-terminator') throw new PreflightError('after --: a second -- is not understood');
    if (setByTheJob.has(token.name)) throw new PreflightError(`after --: ${token.rawName} is set by the Job for every pod; leave it out`);
    const value = token.value;
    if (value === undefined) {
      result.args.push(token.rawName);
      continue;
    }
    const equals = value.indexOf('=');
    const [key, pairValue] = equals < 0 ? [value, ''] : [value.slice(0, equals), value.slice(equals + 1)];
    if (token.name === 'tag' && key === 'testid') throw new PreflightError('after --: the testid tag is set with --testid');
    if (token.name === 'env' && equals > 0 && looksSecret(key, pairValue)) {
      result.secretEnv[key] = pairValue;
      continue;
    }
    result.args.push(token.rawName, value);
  }
  return result;
}
