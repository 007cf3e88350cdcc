import type { AnyNode, Program } from 'acorn';
import { blocksByItself, isPrimitiveModule, primitiveOf, type PrimitiveModule } from './blocking-primitives.ts';
import { walkEstree } from './estree-walk.ts';

/**
 * Whether the module may call a blocking primitive, decided cheaply from its imports: false means the blocking-call
 * rewrite has nothing to do. It errs towards true (a shadowing local of the same name counts as a use).
 */
export function mayCallBlockingPrimitives(program: Program): boolean {
  const moduleObjects = new Map<string, PrimitiveModule>();
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration') continue;
    const source = String(statement.source.value);
    if (!isPrimitiveModule(source)) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === 'ImportSpecifier') {
        const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
        if (blocksByItself(primitiveOf(source, imported))) return true;
      } else {
        moduleObjects.set(specifier.local.name, source);
      }
    }
  }
  let found = false;
  walkEstree(program, (node, parent) => {
    if (found || node.type === 'ImportDeclaration') return false;
    if (node.type === 'CallExpression' && requiresPrimitiveModule(node)) found = true;
    else if (node.type === 'MemberExpression' && node.object.type === 'Identifier') {
      const module = moduleObjects.get(node.object.name);
      if (module === undefined) return undefined;
      const member = staticMemberName(node);
      found = member === undefined || blocksByItself(primitiveOf(module, member));
      return false;
    } else if (node.type === 'Identifier' && moduleObjects.has(node.name) && !isNameOnly(node, parent)) found = true;
    return !found;
  });
  return found;
}

/** `require('k6/http')`, as CommonJS files in the bundle read modules. */
function requiresPrimitiveModule(node: AnyNode & { type: 'CallExpression' }): boolean {
  const callee = node.callee;
  const argument = node.arguments[0];
  return (
    callee.type === 'Identifier' &&
    (callee.name === 'require' || callee.name === '__require') &&
    argument?.type === 'Literal' &&
    typeof argument.value === 'string' &&
    isPrimitiveModule(argument.value)
  );
}

function staticMemberName(node: AnyNode & { type: 'MemberExpression' }): string | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
  return node.property.type === 'Literal' && typeof node.property.value === 'string' ? node.property.value : undefined;
}

/** An identifier that names a property or a label, not a variable. */
function isNameOnly(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.property === node && !parent.computed;
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return parent.key === node && !parent.computed && !(parent.type === 'Property' && parent.shorthand);
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return true;
    default:
      return false;
  }
}
