import MagicString from 'magic-string';
import type * as t from '@babel/types';
import type { CallSite } from './call-graph.ts';
import type { FunctionInfo } from './function-info.ts';

interface Edit {
  start: number;
  end: number;
  apply(code: MagicString): void;
}

/**
 * Applies the rewrite as insertions into the bundle's own text, so that every line stays where it was:
 * `async` before each function made async, `(await f(x))` around each awaited call, and
 * `(await __agentSla.block(http.get, x))` for each blocking primitive's call.
 */
export function applyRewrite(source: string, functions: Iterable<FunctionInfo>, sites: Iterable<CallSite>): MagicString {
  const edits: Edit[] = [];
  for (const fn of functions) if (fn.needsAsync && !fn.userAsync) edits.push(asyncEdit(source, fn.node));
  for (const site of sites) {
    if (site.rewrite === 'await') edits.push(awaitEdit(site.node));
    else if (site.rewrite === 'block' && (site.node.type === 'CallExpression' || site.node.type === 'OptionalCallExpression')) edits.push(blockEdit(site.node));
  }
  // Inner nodes first: at a shared start, an outer node's text then goes before an inner one's, and after it at a shared end.
  edits.sort((a, b) => a.end - b.end || b.start - a.start);
  const code = new MagicString(source);
  for (const edit of edits) edit.apply(code);
  return code;
}

function asyncEdit(source: string, node: t.Function): Edit {
  let at = node.start!;
  if (node.type === 'ObjectMethod' || node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod') {
    // `async` goes right before the name: after `static`, and before a computed key's `[`.
    at = node.key.start!;
    if (node.type !== 'ClassPrivateMethod' && node.computed) at = source.lastIndexOf('[', at);
  }
  return { start: node.start!, end: node.end!, apply: (code) => code.prependRight(at, 'async ') };
}

function awaitEdit(node: t.Node): Edit {
  return {
    start: node.start!,
    end: node.end!,
    apply: (code) => {
      code.prependRight(node.start!, '(await ');
      code.appendLeft(node.end!, ')');
    },
  };
}

/** `http.get(a, b)` → `(await __agentSla.block(http.get, a, b))`; `f?.()` loses its `?.`, as a k6 function is there. */
function blockEdit(node: t.CallExpression | t.OptionalCallExpression): Edit {
  const calleeEnd = node.callee.end!;
  const first = node.arguments[0];
  return {
    start: node.start!,
    end: node.end!,
    apply: (code) => {
      code.prependRight(node.start!, '(await __agentSla.block(');
      if (first) code.update(calleeEnd, first.start!, ', ');
      else code.update(calleeEnd, node.end!, ')');
      code.appendLeft(node.end!, ')');
    },
  };
}
