import { parse } from '@babel/parser';
import type { Program } from 'acorn';
import type { DecodedSourceMap } from 'magic-string';
import { asyncUseFailures } from './async-uses.ts';
import { propagateAsync } from './async-propagation.ts';
import { buildCallGraph } from './call-graph.ts';
import { primitiveUseFailures } from './primitive-uses.ts';
import { applyRewrite } from './rewrite-edits.ts';
import type { RewriteFailure } from './rewrite-failure.ts';
import { ScriptError } from './script-error.ts';
import { messagePosition, type PositionLookup } from './source-positions.ts';

export interface RewrittenModule {
  code: string;
  /** Maps `code` back to the input (one source). */
  map: DecodedSourceMap;
  /** Labels of the functions made async, in source order. */
  madeAsync: string[];
}

/**
 * In k6 a blocking call (`sleep(1)`, `http.get(url)`) blocks only its VU's goroutine; here VUs share a thread, so each
 * such call becomes an awaited promise in the VU's own async chain: the call is awaited, the function holding it
 * becomes async, every call of that function is awaited, and so on to a fixpoint. Anything the rewrite cannot make
 * wait is a ScriptError, placed by `lookup` in the script's own files.
 */
export function rewriteBlockingCalls(source: string, lookup: PositionLookup): RewrittenModule {
  const ast = parseForRewrite(source, lookup);
  const graph = buildCallGraph(ast);
  const propagation = propagateAsync(graph);
  const failures = [...primitiveUseFailures(graph.moduleBindings), ...propagation.failures, ...asyncUseFailures(graph)];
  if (failures.length > 0) throw firstFailure(failures, lookup);
  const code = applyRewrite(source, graph.functions.values(), graph.sites);
  const madeAsync = [...graph.functions.values()]
    .filter((fn) => fn.needsAsync && !fn.userAsync)
    .sort((a, b) => a.node.start! - b.node.start!)
    .map((fn) => fn.label);
  return { code: code.toString(), map: code.generateDecodedMap({ hires: 'boundary' }), madeAsync: [...new Set(madeAsync)] };
}

/** esbuild's output is valid JavaScript; should Babel still refuse it, say where, as for any script error. */
function parseForRewrite(source: string, lookup: PositionLookup): ReturnType<typeof parse> {
  try {
    return parse(source, { sourceType: 'module' });
  } catch (error) {
    const start = (error as { loc?: { line: number; column: number } }).loc;
    if (!start) throw error;
    const problem = String((error as Error).message).replace(/ \(\d+:\d+\)$/, '');
    throw new ScriptError(problem, messagePosition(lookup, start.line - 1, start.column));
  }
}

function firstFailure(failures: RewriteFailure[], lookup: PositionLookup): ScriptError {
  const first = failures.reduce((earliest, failure) => (failure.at.start! < earliest.at.start! ? failure : earliest));
  const start = first.at.loc?.start;
  return new ScriptError(first.message, start && messagePosition(lookup, start.line - 1, start.column));
}
