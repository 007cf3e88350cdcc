import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { PreparedScript } from './vu-scope.ts';

/** Parsed maps by their JSON: a worker has one script, a test a few. */
const maps = new Map<string, SourceMap | undefined>();
const MAX_MAPS = 8;

/**
 * Rewrites the positions a stack trace gives in a prepared script's factory (`filename:line:col`) to the script's own
 * files. Node 20 does not apply a source map to code compiled through node:vm by itself.
 */
export function originalStackTrace(stack: string, prepared: Pick<PreparedScript, 'map' | 'filename'>): string {
  const map = sourceMapOf(prepared.map);
  if (!map) return stack;
  const position = new RegExp(`${escapeRegExp(prepared.filename)}:(\\d+):(\\d+)`, 'g');
  return stack.replace(position, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry)) return whole;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function sourceMapOf(json: string): SourceMap | undefined {
  if (maps.has(json)) return maps.get(json);
  let map: SourceMap | undefined;
  try {
    map = new SourceMap(JSON.parse(json) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    map = undefined;
  }
  if (maps.size >= MAX_MAPS) maps.delete(maps.keys().next().value!);
  maps.set(json, map);
  return map;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
