import type { Program } from 'acorn';
import MagicString, { type DecodedSourceMap } from 'magic-string';
import { factoryEpilogue, factoryPrologue } from './factory-wrapper.ts';
import { extractDeclarations } from './module-declarations.ts';
import { assertFactorySyntax, parseModule, usesTopLevelAwait } from './module-syntax.ts';
import type { PositionLookup } from './source-positions.ts';

export interface ModuleFactory {
  /** `(function (require, __ENV, __VU, console, open, __agentSla) { … })`, see vu-scope.ts. */
  code: string;
  /** Maps `code` back to the module's text (one source). */
  map: DecodedSourceMap;
  /** The specifiers the module imports, in order, each once. */
  imports: string[];
  /** The names the module exports. */
  exports: string[];
  topLevelAwait: boolean;
}

/**
 * Turns one ES module (a bundle: only the engine's modules are imported) into a factory: a function expression whose
 * every call evaluates the module afresh, for one VU. `program` may be passed when the module is parsed already.
 */
export function moduleFactory(module: string, lookup: PositionLookup, program: Program = parseModule(module, lookup)): ModuleFactory {
  assertFactorySyntax(program, lookup);
  const code = new MagicString(module);
  if (module.startsWith('#!')) code.remove(0, module.indexOf('\n') === -1 ? module.length : module.indexOf('\n'));
  const declarations = extractDeclarations(program, code, lookup);
  const topLevelAwait = usesTopLevelAwait(program);
  code.prepend(factoryPrologue(declarations.imports, topLevelAwait));
  code.append(factoryEpilogue(declarations.exports));
  return {
    code: code.toString(),
    map: code.generateDecodedMap({ hires: 'boundary' }),
    imports: [...new Set(declarations.imports.map((binding) => binding.specifier))],
    exports: [...declarations.exports.keys()],
    topLevelAwait,
  };
}
