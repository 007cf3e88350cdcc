import { SourceMap, type DecodedSourceMap, type SourceMapSegment } from 'magic-string';
import { pathToFileURL } from 'node:url';
import type { PositionLookup } from './source-positions.ts';

/**
 * The final code's source map, straight to the script's own files: each segment of the last stage's map (final code
 * → that stage's input) followed back through `lookup` (that input → the original files).
 */
export function composeSourceMap(last: DecodedSourceMap, lookup: PositionLookup, file: string): string {
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  const indexOf = (source: string): number => {
    let index = sourceIndex.get(source);
    if (index === undefined) {
      index = sources.length;
      sources.push(pathToFileURL(source).href);
      sourceIndex.set(source, index);
    }
    return index;
  };
  const mappings = last.mappings.map((segments) => {
    const line: SourceMapSegment[] = [];
    for (const segment of segments) {
      if (segment.length === 1) continue;
      const original = lookup(segment[2], segment[3]);
      if (original) line.push([segment[0], indexOf(original.source), original.line, original.column]);
    }
    return line;
  });
  return new SourceMap({ file, sources, names: [], mappings }).toString();
}
