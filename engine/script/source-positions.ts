import { SourceMap } from 'node:module';
import { resolve } from 'node:path';
import type { DecodedSourceMap } from 'magic-string';
import type { SourcePosition } from './script-error.ts';

/** A place in an original file, zero-based, as source maps count. */
export interface OriginalLocation {
  /** Absolute path. */
  source: string;
  line: number;
  column: number;
}

/** Maps a zero-based position in one stage's code back to the script's own files. */
export type PositionLookup = (line: number, column: number) => OriginalLocation | undefined;

/** The lookup for esbuild's bundle, whose map names sources relative to `directory`. */
export function bundleLookup(mapJson: string, directory: string): PositionLookup {
  const map = new SourceMap(JSON.parse(mapJson));
  return (line, column) => {
    const entry = map.findEntry(line, column);
    if (!('originalSource' in entry)) return undefined;
    return { source: resolve(directory, entry.originalSource), line: entry.originalLine, column: entry.originalColumn };
  };
}

/** The lookup for a stage that edited the previous stage's code (one source), given magic-string's map. */
export function editedLookup(map: DecodedSourceMap, previous: PositionLookup): PositionLookup {
  return (line, column) => {
    const segments = map.mappings[line];
    if (!segments) return undefined;
    // Text the stage inserted has no segment of its own: it belongs with what follows it on the line.
    const segment = lastSegmentAtOrBefore(segments, column) ?? segments[0];
    if (!segment || segment.length === 1) return undefined;
    return previous(segment[2], segment[3] + Math.max(0, column - segment[0]));
  };
}

/** The 1-based position for a message, or undefined when the place is not in the script's files. */
export function messagePosition(lookup: PositionLookup, line: number, column: number): SourcePosition | undefined {
  const found = lookup(line, column);
  return found && { file: found.source, line: found.line + 1, column: found.column + 1 };
}

function lastSegmentAtOrBefore<T extends readonly number[]>(segments: readonly T[], column: number): T | undefined {
  let low = 0;
  let high = segments.length - 1;
  let found: T | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle]!;
    if (segment[0]! <= column) {
      found = segment;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
