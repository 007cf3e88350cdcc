import type { ImportBinding } from './module-declarations.ts';

/** Node's globals a k6 script must not see; the script's own declarations still shadow these. */
const HIDDEN_GLOBALS = ['process', 'Buffer', 'global', 'setImmediate', 'clearImmediate', 'fetch', 'module', 'exports', '__dirname', '__filename'];

/**
 * The factory's head, on one line so that the module body keeps its line numbers. The module body runs in a nested
 * function, so that it may declare `require`, `console`, … itself; the outer function holds `__ITER` and the names the
 * wrapper needs, under names a script will not use.
 */
export function factoryPrologue(imports: readonly ImportBinding[], asyncBody: boolean): string {
  const outer = [
    '(function (require, __ENV, __VU, console, open, __agentSla) {',
    '"use strict";',
    'let __ITER = 0;',
    'const __agentSlaRequire = require, __agentSlaSetIteration = function (iteration) { __ITER = iteration; };',
    'const { setTimeout, clearTimeout, setInterval, clearInterval } = require("k6/timers");',
    'const Math = __agentSla.math, globalThis = __agentSla.globalThis;',
    `const ${HIDDEN_GLOBALS.map((name) => `${name} = undefined`).join(', ')};`,
    'const __agentSlaImport = function (namespace, specifier, name) {',
    'if (!(name in namespace)) throw new SyntaxError("The requested module \'" + specifier + "\' does not provide an export named \'" + name + "\'");',
    'return namespace[name]; };',
    `return (${asyncBody ? 'async ' : ''}function () {`,
  ];
  return `${[...outer, ...importStatements(imports)].join(' ')} `;
}

/** The factory's tail: the ScriptInstance, its exports read live through getters. */
export function factoryEpilogue(exports: ReadonlyMap<string, string>): string {
  const getters = [...exports].map(([exported, local]) => `get ${JSON.stringify(exported)}() { return ${local}; }`);
  return `\nreturn { exports: Object.freeze({ ${getters.join(', ')} }), setIteration: __agentSlaSetIteration };\n}).call(undefined);\n})`;
}

/** Imports, hoisted as ES modules hoist them: each module required once, in the order the script imports them. */
function importStatements(imports: readonly ImportBinding[]): string[] {
  const modules = new Map<string, string>();
  const statements: string[] = [];
  for (const { specifier, local, name } of imports) {
    let namespace = modules.get(specifier);
    if (namespace === undefined) {
      namespace = `__agentSlaModule${modules.size}`;
      modules.set(specifier, namespace);
      statements.push(`const ${namespace} = __agentSlaRequire(${JSON.stringify(specifier)});`);
    }
    if (local === undefined || name === undefined) continue;
    const value = name === '*' ? namespace : `__agentSlaImport(${namespace}, ${JSON.stringify(specifier)}, ${JSON.stringify(name)})`;
    statements.push(`const ${local} = ${value};`);
  }
  return statements;
}
