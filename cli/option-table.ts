import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PreflightError } from './preflight-error.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help, e.g. "URL". */
  value?: string;
  description: string;
  /** The k6 `__ENV` name this option is passed as, when it is one. */
  env?: string;
}

export type OptionTable = Record<string, OptionSpec>;

export function parseArgsOptions(table: OptionTable): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(table).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
  );
}

export function optionHelpLines(table: OptionTable): string[] {
  const rows = Object.entries(table).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const flag = `${short}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    const env = spec.env ? ` (k6 -e ${spec.env})` : '';
    return [flag, `${spec.description}${env}`] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`);
}

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Everything after the first `--`, untouched (for k6). */
  passthrough: string[];
}

/** parseArgs, strict, with its long messages turned into one line that says where to look. */
export function parseCommand(command: string, argv: string[], table: OptionTable): ParsedCommand {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const passthrough = split === -1 ? [] : argv.slice(split + 1);
  try {
    const { values, positionals } = parseArgs({ args: own, options: parseArgsOptions(table), allowPositionals: true, strict: true });
    return { values: values as ParsedCommand['values'], positionals, passthrough };
  } catch (error) {
    throw new PreflightError(`${describeParseError(error as Error & { code?: string })} (see agent-sla ${command} --help)`);
  }
}

function describeParseError(error: Error & { code?: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}; k6's own flags go after --`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(error.message) ? `option ${option ?? ''} needs a value` : `option ${option ?? ''} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']+)'/.exec(error.message)?.[1] ?? ''}`;
    default:
      return error.message.split('\n')[0] ?? 'bad arguments';
  }
}
