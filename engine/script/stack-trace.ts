import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { PreparedScript } from './vu-scope.ts';

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,([A-Za-z0-9+/=]+)\s*$/;

/** Parsed maps by factory source: a worker has one script, a test a few. */
const maps = new Map<string, SourceMap | undefined>();
const MAX_MAPS = 8;

/**
 * Rewrites the positions a stack trace gives in a prepared script's factory (`filename:line:col`) to the script's own
 * files. Node 20 does not apply the factory's inline source map to code compiled through node:vm by itself.
 */
export function originalStackTrace(stack: string, prepared: Pick<PreparedScript, 'code' | 'filename'>): string {
  const map = sourceMapOf(prepared.code);
  if (!map) return stack;
  const position = new RegExp(`${escapeRegExp(prepared.filename)}:(\\d+):(\\d+)`, 'g');
  return stack.replace(position, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry)) return whole;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function sourceMapOf(code: string): SourceMap | undefined {
  if (maps.has(code)) return maps.get(code);
  const encoded = INLINE_MAP.exec(code)?.[1];
  const map = encoded === undefined ? undefined : new SourceMap(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
  if (maps.size >= MAX_MAPS) maps.delete(maps.keys().next().value!);
  maps.set(code, map);
  return map;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
