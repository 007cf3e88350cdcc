/**
 * Log lines as k6 writes them to stderr. `text` is k6's terminal form (`INFO[0003] message  source=console`),
 * `logfmt` its form when stderr is not a terminal (`time="…" level=info msg="…" source=console`), `raw` the
 * message alone (`--log-format raw`), `json` one object per line.
 */
export type LogFormat = 'text' | 'logfmt' | 'raw' | 'json';
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerConfig {
  format: LogFormat;
  /** ms since the epoch when the test started: the `[0003]` seconds count from here. */
  testStart: number;
  colors: boolean;
  /** debug lines are written only when verbose. */
  verbose: boolean;
}

const LEVEL_TEXT: Record<Level, string> = { debug: 'DEBU', info: 'INFO', warn: 'WARN', error: 'ERRO' };
const LEVEL_NAME: Record<Level, string> = { debug: 'debug', info: 'info', warn: 'warning', error: 'error' };
const LEVEL_COLOR: Record<Level, number> = { debug: 37, info: 36, warn: 33, error: 31 };

export type Fields = Record<string, string | number>;

export function formatLogLine(config: LoggerConfig, level: Level, message: string, fields: Fields = {}): string | undefined {
  if (level === 'debug' && !config.verbose) return undefined;
  const time = new Date();
  switch (config.format) {
    case 'raw':
      return `${message}\n`;
    case 'json':
      return `${JSON.stringify({ level: LEVEL_NAME[level], msg: message, ...fields, time: time.toISOString() })}\n`;
    case 'logfmt': {
      const pairs = Object.entries(fields).map(([key, value]) => `${key}=${logfmtValue(String(value))}`);
      return `${[`time="${time.toISOString()}"`, `level=${LEVEL_NAME[level]}`, `msg=${logfmtValue(message)}`, ...pairs].join(' ')}\n`;
    }
    case 'text': {
      const seconds = Math.max(0, Math.floor((time.getTime() - config.testStart) / 1000));
      const label = `${LEVEL_TEXT[level]}[${String(seconds).padStart(4, '0')}]`;
      const shown = config.colors ? `\u001b[${LEVEL_COLOR[level]}m${label}\u001b[0m` : label;
      const pairs = Object.entries(fields).map(([key, value]) => (config.colors ? `\u001b[${LEVEL_COLOR[level]}m${key}\u001b[0m=${value}` : `${key}=${value}`));
      return `${shown} ${message.padEnd(pairs.length > 0 ? 45 : 0)}${pairs.length > 0 ? ` ${pairs.join(' ')}` : ''}\n`;
    }
  }
}

function logfmtValue(value: string): string {
  return /^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value);
}

/** console.log's rendering of its arguments, as k6 prints them: strings as they are, objects as JSON. */
export function formatConsoleArgs(args: readonly unknown[]): string {
  return args.map(formatConsoleArg).join(' ');
}

function formatConsoleArg(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack?.split('\n')[0] ?? `${value.name}: ${value.message}`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  return String(value);
}
