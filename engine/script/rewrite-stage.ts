import type { Program } from 'acorn';
import { mayCallBlockingPrimitives } from './fast-path.ts';
import { editedLookup, type PositionLookup } from './source-positions.ts';

export interface RewriteStage {
  code: string;
  /** Maps `code` to the script's own files. */
  lookup: PositionLookup;
  madeAsync: string[];
  /** The module imports no blocking primitive: Babel never ran, and `code` is the input itself. */
  skipped: boolean;
}

/**
 * The rewrite, skipped (at the cost of one look at the imports) when the module imports no blocking primitive. Babel
 * is loaded only then: a script that needs no rewrite, as our own bundles, never pays for loading it.
 */
export async function rewriteIfBlocking(source: string, program: Program, lookup: PositionLookup): Promise<RewriteStage> {
  if (!mayCallBlockingPrimitives(program)) return { code: source, lookup, madeAsync: [], skipped: true };
  const { rewriteBlockingCalls } = await import('./blocking-calls.ts');
  const rewritten = rewriteBlockingCalls(source, lookup);
  return { code: rewritten.code, lookup: editedLookup(rewritten.map, lookup), madeAsync: rewritten.madeAsync, skipped: false };
}
