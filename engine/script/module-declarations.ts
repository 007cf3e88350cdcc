import type { AnyNode, Program } from 'acorn';
import type MagicString from 'magic-string';
import { located } from './module-syntax.ts';
import type { PositionLookup } from './source-positions.ts';

/** What an import statement binds: `local` reads `name` of the module (`*` for the whole namespace). */
export interface ImportBinding {
  specifier: string;
  local?: string;
  name?: string;
}

export interface ModuleDeclarations {
  /** In source order; a side-effect import has no local. */
  imports: ImportBinding[];
  /** Exported name → the module-level binding that holds it. */
  exports: Map<string, string>;
}

/** The binding an anonymous `export default …` is stored in. */
export const DEFAULT_EXPORT_BINDING = '__agentSlaDefault';

/**
 * Takes the module's import and export statements out of its text (keeping its line breaks, so lines do not move)
 * and says what they bound. Re-exports from other modules are refused: after bundling, only the engine's modules
 * remain, and those are not re-exported.
 */
export function extractDeclarations(program: Program, code: MagicString, lookup: PositionLookup): ModuleDeclarations {
  const source = code.original;
  const result: ModuleDeclarations = { imports: [], exports: new Map() };
  for (const statement of program.body) {
    switch (statement.type) {
      case 'ImportDeclaration': {
        const specifier = String(statement.source.value);
        if (statement.specifiers.length === 0) result.imports.push({ specifier });
        for (const binding of statement.specifiers) {
          const name = binding.type === 'ImportSpecifier' ? nameOf(binding.imported) : binding.type === 'ImportDefaultSpecifier' ? 'default' : '*';
          result.imports.push({ specifier, local: binding.local.name, name });
        }
        blankOut(code, statement.start, statement.end);
        break;
      }
      case 'ExportAllDeclaration':
        throw located(statement, lookup, `re-exports are not supported: export from "${String(statement.source.value)}"`);
      case 'ExportNamedDeclaration':
        if (statement.source) throw located(statement, lookup, `re-exports are not supported: export from "${String(statement.source.value)}"`);
        if (statement.declaration) {
          for (const name of declaredNames(statement.declaration)) result.exports.set(name, name);
          code.remove(statement.start, statement.declaration.start);
        } else {
          for (const specifier of statement.specifiers) result.exports.set(nameOf(specifier.exported), nameOf(specifier.local));
          blankOut(code, statement.start, statement.end);
        }
        break;
      case 'ExportDefaultDeclaration': {
        const declaration = statement.declaration;
        const named = (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id;
        if (named) {
          result.exports.set('default', declaration.id!.name);
          code.remove(statement.start, declaration.start);
          break;
        }
        // `{ default: … }.default` gives an anonymous function or class the name `default`, as the export would.
        const keyword = /^export\s+default/.exec(source.slice(statement.start, declaration.start));
        if (!keyword) throw located(statement, lookup, 'unexpected export default form');
        const end = source[statement.end - 1] === ';' ? statement.end - 1 : statement.end;
        code.update(statement.start, statement.start + keyword[0].length, `const ${DEFAULT_EXPORT_BINDING} = { default:`);
        code.appendLeft(end, ' }.default');
        if (end === statement.end) code.appendLeft(end, ';');
        result.exports.set('default', DEFAULT_EXPORT_BINDING);
        break;
      }
      default:
        break;
    }
  }
  return result;
}

function nameOf(node: AnyNode): string {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'Literal') return String(node.value);
  throw new Error(`unexpected module name node ${node.type}`);
}

/** The names a declaration binds: `function f`, `class C`, `const { a, b: [c] } = …`. */
function declaredNames(declaration: AnyNode): string[] {
  if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') return declaration.id ? [declaration.id.name] : [];
  if (declaration.type !== 'VariableDeclaration') return [];
  const names: string[] = [];
  const pending: AnyNode[] = declaration.declarations.map((declarator) => declarator.id);
  for (let pattern = pending.pop(); pattern; pattern = pending.pop()) {
    switch (pattern.type) {
      case 'Identifier':
        names.push(pattern.name);
        break;
      case 'ObjectPattern':
        for (const property of pattern.properties) pending.push(property.type === 'RestElement' ? property.argument : property.value);
        break;
      case 'ArrayPattern':
        for (const element of pattern.elements) if (element) pending.push(element);
        break;
      case 'RestElement':
        pending.push(pattern.argument);
        break;
      case 'AssignmentPattern':
        pending.push(pattern.left);
        break;
      default:
        break;
    }
  }
  return names.reverse();
}

/** Removes a statement but keeps its line breaks. */
function blankOut(code: MagicString, start: number, end: number): void {
  const breaks = code.original.slice(start, end).split('\n').length - 1;
  if (breaks === 0) code.remove(start, end);
  else code.update(start, end, '\n'.repeat(breaks));
}
