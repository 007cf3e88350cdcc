import type { NodePath } from '@babel/traverse';
import type * as t from '@babel/types';
import { calleeLabel, isMember, memberName, staticKeyName } from './babel-names.ts';

export type FunctionKind = 'function' | 'method' | 'getter' | 'setter' | 'constructor';

/** Why the rewrite must make a function async: the first awaited call found in its body. */
export type AsyncReason =
  | { kind: 'blocks'; primitive: string; at: t.Node }
  | { kind: 'calls'; callee: FunctionInfo }
  | { kind: 'group'; callback: FunctionInfo };

/** One function of the bundle, as the blocking-call rewrite sees it. */
export interface FunctionInfo {
  readonly path: NodePath<t.Function>;
  readonly node: t.Function;
  readonly kind: FunctionKind;
  /** How messages and `madeAsync` name it: `load`, `Client.run`, `default`. */
  readonly label: string;
  /** Names under which `obj.name()` may call it. */
  readonly methodNames: Set<string>;
  /** Written `async` by the script: it awaits already, and its callers expect a promise. */
  readonly userAsync: boolean;
  needsAsync: boolean;
  reason: AsyncReason | undefined;
}

/** `exportedAs` maps a module-level name to the name it is exported under, so `main_default` reads `default`. */
export function functionInfo(path: NodePath<t.Function>, exportedAs: ReadonlyMap<string, string>): FunctionInfo {
  const node = path.node;
  const { kind, label, methodName } = describe(path, exportedAs);
  return {
    path,
    node,
    kind,
    label,
    methodNames: new Set(methodName === undefined ? [] : [methodName]),
    userAsync: node.async === true,
    needsAsync: false,
    reason: undefined,
  };
}

function describe(path: NodePath<t.Function>, exportedAs: ReadonlyMap<string, string>): { kind: FunctionKind; label: string; methodName?: string } {
  const node = path.node;
  if (node.type === 'ObjectMethod' || node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod') {
    const name = staticKeyName(node.key, node.type !== 'ClassPrivateMethod' && node.computed) ?? '[computed]';
    const owner = node.type === 'ObjectMethod' ? undefined : className(path);
    const label = owner ? `${owner}.${name}` : name;
    switch (node.kind) {
      case 'constructor':
        return { kind: 'constructor', label: owner ?? 'constructor' };
      case 'get':
        return { kind: 'getter', label };
      case 'set':
        return { kind: 'setter', label };
      default:
        return { kind: 'method', label, methodName: name === '[computed]' ? undefined : name };
    }
  }
  if (node.type === 'FunctionDeclaration' && node.id) return { kind: 'function', label: moduleName(path, node.id.name, exportedAs) };
  if (node.type === 'FunctionDeclaration') return { kind: 'function', label: 'default' };
  return describeByPlace(path, exportedAs);
}

/** A function expression or arrow is named by where it is put. */
function describeByPlace(path: NodePath<t.Function>, exportedAs: ReadonlyMap<string, string>): { kind: FunctionKind; label: string; methodName?: string } {
  const own = path.node.type === 'FunctionExpression' ? path.node.id?.name : undefined;
  const parent = path.parentPath?.node;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') {
    return { kind: 'function', label: moduleName(path, own ?? parent.id.name, exportedAs) };
  }
  if (parent?.type === 'ExportDefaultDeclaration') return { kind: 'function', label: 'default' };
  if ((parent?.type === 'ObjectProperty' || parent?.type === 'ClassProperty' || parent?.type === 'ClassPrivateProperty') && parent.value === path.node) {
    const name = staticKeyName(parent.key, parent.type !== 'ClassPrivateProperty' && parent.computed);
    const owner = parent.type === 'ObjectProperty' ? undefined : className(path);
    return { kind: 'function', label: own ?? (owner && name ? `${owner}.${name}` : name ?? 'an anonymous function'), methodName: name };
  }
  if (parent?.type === 'AssignmentExpression' && parent.right === path.node) {
    if (isMember(parent.left)) {
      const name = memberName(parent.left);
      return { kind: 'function', label: own ?? name ?? 'an anonymous function', methodName: name };
    }
    if (parent.left.type === 'Identifier') return { kind: 'function', label: own ?? parent.left.name };
  }
  if ((parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.arguments.includes(path.node as t.Expression)) {
    return { kind: 'function', label: own ?? `${calleeLabel(parent.callee)}() callback` };
  }
  return { kind: 'function', label: own ?? 'an anonymous function' };
}

function className(path: NodePath): string | undefined {
  const owner = path.findParent((parent) => parent.isClass());
  const node = owner?.node;
  if (node?.type === 'ClassDeclaration' || node?.type === 'ClassExpression') {
    // esbuild writes `class Client` as `var Client = class _Client`: the variable has the script's name.
    const holder = owner?.parentPath?.node;
    if (holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier') return holder.id.name;
    if (node.id) return node.id.name;
  }
  return undefined;
}

/** A module-level function reads as the name it is exported under. */
function moduleName(path: NodePath, local: string, exportedAs: ReadonlyMap<string, string>): string {
  const declaredAtTop = path.scope.parent?.path.isProgram() ?? false;
  return (declaredAtTop && exportedAs.get(local)) || local;
}
