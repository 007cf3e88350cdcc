import type { Binding, Scope } from '@babel/traverse';
import type * as t from '@babel/types';
import { isMember, memberName, unwrapExpression } from './babel-names.ts';
import { isPrimitiveModule, primitiveOf, type PrimitiveModule } from './blocking-primitives.ts';
import type { FunctionInfo } from './function-info.ts';

/** A binding that holds something of k6 or k6/http: `imported` is a member's name, or `*` for the module object. */
export interface ModuleMember {
  module: PrimitiveModule;
  imported: string;
}

/** What a call's callee is, as far as the rewrite can tell. */
export interface CalleeResolution {
  /** `sleep`, `http.get`, `group`, … */
  primitive?: string;
  /** The script's functions it calls, found through bindings. */
  targets: FunctionInfo[];
  /** `obj.name(…)`: every function callable by that name may be the one. */
  memberName?: string;
}

/** Resolves bindings and callees against the bundle's functions. */
export class CalleeResolver {
  private readonly boundFunctions = new Map<Binding, FunctionInfo[]>();

  constructor(private readonly functions: ReadonlyMap<t.Node, FunctionInfo>) {}

  resolve(callee: t.Node, scope: Scope): CalleeResolution {
    const node = unwrapExpression(callee);
    if (node.type === 'Identifier') {
      const binding = scope.getBinding(node.name);
      if (!binding) return { targets: [] };
      const member = moduleMemberOf(binding);
      if (member) return { targets: [], primitive: member.imported === '*' ? undefined : primitiveOf(member.module, member.imported) };
      return { targets: this.functionsBoundTo(binding) };
    }
    if (isMember(node)) {
      const name = memberName(node);
      const object = unwrapExpression(node.object);
      const member = object.type === 'Identifier' ? moduleMemberOfName(object.name, scope) : undefined;
      if (member) return { targets: [], primitive: member.imported === '*' && name !== undefined ? primitiveOf(member.module, name) : undefined };
      if (name === 'call' || name === 'apply') {
        const inner = this.resolve(node.object, scope);
        return { targets: inner.targets, memberName: inner.memberName };
      }
      return { targets: [], memberName: name };
    }
    const direct = this.functions.get(node);
    return { targets: direct ? [direct] : [] };
  }

  /** The functions a binding may hold: its declaration, its initialiser, what is assigned to it; a class's constructor. */
  functionsBoundTo(binding: Binding): FunctionInfo[] {
    const known = this.boundFunctions.get(binding);
    if (known) return known;
    const found: FunctionInfo[] = [];
    const add = (node: t.Node | null | undefined): void => {
      if (!node) return;
      const value = unwrapExpression(node);
      const direct = this.functions.get(value);
      if (direct) found.push(direct);
      else if (value.type === 'ClassDeclaration' || value.type === 'ClassExpression') {
        const constructor = value.body.body.find((member) => member.type === 'ClassMethod' && member.kind === 'constructor');
        const info = constructor && this.functions.get(constructor);
        if (info) found.push(info);
      }
    };
    const declaration = binding.path.node;
    if (declaration.type === 'VariableDeclarator') add(declaration.init);
    else add(declaration);
    for (const violation of binding.constantViolations) {
      const assignment = violation.node;
      if (assignment.type === 'AssignmentExpression' && assignment.operator === '=') add(assignment.right);
    }
    this.boundFunctions.set(binding, found);
    return found;
  }
}

export function moduleMemberOfName(name: string, scope: Scope): ModuleMember | undefined {
  const binding = scope.getBinding(name);
  return binding && moduleMemberOf(binding);
}

/** What a binding imports: `import { sleep } from 'k6'`, `import http from 'k6/http'`, `const http = require('k6/http')`. */
export interface ImportedName {
  module: string;
  /** The member's name, or `*` for the module object (a default or namespace import). */
  imported: string;
}

export function importedNameOf(binding: Binding): ImportedName | undefined {
  const node = binding.path.node;
  const parent = binding.path.parentPath?.node;
  if (binding.kind === 'module' && parent?.type === 'ImportDeclaration') {
    const module = parent.source.value;
    if (node.type !== 'ImportSpecifier') return { module, imported: '*' };
    const imported = node.imported.type === 'Identifier' ? node.imported.name : node.imported.value;
    return { module, imported: imported === 'default' ? '*' : imported };
  }
  if (node.type === 'VariableDeclarator' && node.init) {
    const module = requiredModule(node.init);
    if (module === undefined) return undefined;
    if (node.id.type === 'Identifier') return { module, imported: '*' };
    if (node.id.type === 'ObjectPattern') {
      for (const property of node.id.properties) {
        if (property.type !== 'ObjectProperty' || property.computed || property.key.type !== 'Identifier') continue;
        const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
        if (value.type === 'Identifier' && value.name === binding.identifier.name) return { module, imported: property.key.name };
      }
    }
  }
  return undefined;
}

/** A binding that holds something of k6 or k6/http. */
export function moduleMemberOf(binding: Binding): ModuleMember | undefined {
  const name = importedNameOf(binding);
  return name && isPrimitiveModule(name.module) ? { module: name.module, imported: name.imported } : undefined;
}

/** `require('k6/http')` (or esbuild's `__require`), possibly wrapped in esbuild's `__toESM(…)`. */
function requiredModule(init: t.Node): string | undefined {
  let node = unwrapExpression(init);
  if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === '__toESM' && node.arguments[0]) {
    node = unwrapExpression(node.arguments[0]);
  }
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier') return undefined;
  if (node.callee.name !== 'require' && node.callee.name !== '__require') return undefined;
  const argument = node.arguments[0];
  return argument?.type === 'StringLiteral' ? argument.value : undefined;
}
