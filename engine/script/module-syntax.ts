import { parse, type AnyNode, type Program } from 'acorn';
import { isFunctionNode, walkEstree } from './estree-walk.ts';
import { ScriptError } from './script-error.ts';
import { messagePosition, type PositionLookup } from './source-positions.ts';

/** Parses the bundle as an ES module; a syntax error becomes a ScriptError in the script's own files. */
export function parseModule(code: string, lookup: PositionLookup): Program {
  try {
    return parse(code, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true, locations: true });
  } catch (error) {
    const located = error as { message?: string; loc?: { line: number; column: number } };
    if (!located.loc) throw error;
    const problem = String(located.message).replace(/ \(\d+:\d+\)$/, '');
    throw new ScriptError(problem, messagePosition(lookup, located.loc.line - 1, located.loc.column));
  }
}

/** Refuses what a module cannot do once it runs as a function: `import(…)` and `import.meta`. */
export function assertFactorySyntax(program: Program, lookup: PositionLookup): void {
  walkEstree(program, (node) => {
    if (node.type === 'ImportExpression') {
      throw located(node, lookup, 'import() is not supported: import the module with a static import statement');
    }
    if (node.type === 'MetaProperty' && node.meta.name === 'import') throw located(node, lookup, 'import.meta is not supported');
    return undefined;
  });
}

/** Whether module-level code awaits (`await`, `for await`): the module body must then run as an async function. */
export function usesTopLevelAwait(program: Program): boolean {
  let found = false;
  walkEstree(program, (node) => {
    if (found || isFunctionNode(node)) return false;
    if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) found = true;
    return !found;
  });
  return found;
}

export function located(node: AnyNode, lookup: PositionLookup, problem: string): ScriptError {
  const start = node.loc?.start;
  return new ScriptError(problem, start && messagePosition(lookup, start.line - 1, start.column));
}
