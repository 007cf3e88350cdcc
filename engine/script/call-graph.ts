import _traverse, { type Binding, type NodePath } from '@babel/traverse';
import type * as t from '@babel/types';
import { isFunctionValue, isMember, memberName, staticKeyName, unwrapExpression } from './babel-names.ts';
import { CalleeResolver, moduleMemberOf, type CalleeResolution } from './callee-resolution.ts';
import { functionInfo, type FunctionInfo } from './function-info.ts';

// @babel/traverse is CommonJS: under Node's ESM loader its function is the module's `default`.
const traverse: typeof _traverse = (_traverse as unknown as { default?: typeof _traverse }).default ?? _traverse;

export type CallNode = t.CallExpression | t.OptionalCallExpression | t.NewExpression | t.TaggedTemplateExpression;

/** Where a call runs: in a function the rewrite may make async, at module level (top-level await), or nowhere it can await. */
export type CallContext = { kind: 'function'; fn: FunctionInfo } | { kind: 'module' } | { kind: 'forbidden'; what: string; hint: string };

export interface CallSite {
  readonly path: NodePath<CallNode>;
  readonly node: CallNode;
  readonly context: CallContext;
  readonly resolution: CalleeResolution;
  /** For `group(name, fn)`: the functions `fn` may be. */
  readonly groupCallbacks: FunctionInfo[];
  rewrite: 'none' | 'await' | 'block';
}

export interface CallGraph {
  readonly functions: ReadonlyMap<t.Node, FunctionInfo>;
  readonly sites: CallSite[];
  readonly resolver: CalleeResolver;
  /** Every binding that holds something of k6 or k6/http. */
  readonly moduleBindings: Binding[];
}

/** Collects the bundle's functions and calls, and resolves every callee once. */
export function buildCallGraph(ast: t.File): CallGraph {
  const functions = new Map<t.Node, FunctionInfo>();
  const callPaths: Array<NodePath<CallNode>> = [];
  const namedValues: Array<{ name: string; value: NodePath }> = [];
  const moduleBindings = new Set<Binding>();
  let exportedAs = new Map<string, string>();

  const noteBindings = (path: NodePath): void => {
    for (const binding of Object.values(path.getBindingIdentifiers())) {
      const found = path.scope.getBinding(binding.name);
      if (found && moduleMemberOf(found)) moduleBindings.add(found);
    }
  };

  traverse(ast, {
    Program(path) {
      exportedAs = exportNames(path.node);
    },
    Function(path) {
      functions.set(path.node, functionInfo(path, exportedAs));
    },
    CallExpression(path) {
      callPaths.push(path);
    },
    OptionalCallExpression(path) {
      callPaths.push(path);
    },
    NewExpression(path) {
      callPaths.push(path);
    },
    TaggedTemplateExpression(path) {
      callPaths.push(path);
    },
    ImportDeclaration(path) {
      for (const specifier of path.get('specifiers')) noteBindings(specifier);
    },
    VariableDeclarator(path) {
      noteBindings(path);
    },
    ObjectProperty(path) {
      const name = staticKeyName(path.node.key, path.node.computed);
      if (name !== undefined) namedValues.push({ name, value: path.get('value') });
    },
    ClassProperty(path) {
      const name = staticKeyName(path.node.key, path.node.computed);
      if (name !== undefined && path.node.value) namedValues.push({ name, value: path.get('value') as NodePath });
    },
    AssignmentExpression(path) {
      const left = path.node.left;
      const name = isMember(left) ? memberName(left) : undefined;
      if (name !== undefined) namedValues.push({ name, value: path.get('right') });
    },
  });

  const resolver = new CalleeResolver(functions);
  registerMethodNames(namedValues, resolver);
  const sites = callPaths.map((path): CallSite => {
    const node = path.node;
    const callee = node.type === 'TaggedTemplateExpression' ? node.tag : node.callee;
    const resolution = resolver.resolve(callee, path.scope);
    return { path, node, context: contextOf(path, functions), resolution, groupCallbacks: groupCallbacks(path, resolution, resolver), rewrite: 'none' };
  });
  return { functions, sites, resolver, moduleBindings: [...moduleBindings] };
}

/** `{ name: f }`, `x.name = f`, a class field `name = f`, and esbuild's `__export(ns, { name: () => f })` make `f` callable as `obj.name()`. */
function registerMethodNames(namedValues: Array<{ name: string; value: NodePath }>, resolver: CalleeResolver): void {
  for (const { name, value } of namedValues) {
    let node = unwrapExpression(value.node);
    if (node.type === 'ArrowFunctionExpression' && node.body.type === 'Identifier' && isEsbuildExportGetter(value)) node = node.body;
    if (node.type !== 'Identifier') continue;
    const binding = value.scope.getBinding(node.name);
    if (binding) for (const fn of resolver.functionsBoundTo(binding)) fn.methodNames.add(name);
  }
}

/** The getter esbuild writes for a namespace object's member: `__export(ns, { name: () => f })`. */
export function isEsbuildExportGetter(value: NodePath): boolean {
  const call = value.parentPath?.parentPath?.parentPath?.node;
  return call?.type === 'CallExpression' && call.callee.type === 'Identifier' && call.callee.name === '__export';
}

function groupCallbacks(path: NodePath<CallNode>, resolution: CalleeResolution, resolver: CalleeResolver): FunctionInfo[] {
  if (resolution.primitive !== 'group' || path.node.type === 'TaggedTemplateExpression') return [];
  const callback = path.node.arguments[1];
  if (!callback) return [];
  const node = unwrapExpression(callback);
  if (node.type !== 'Identifier' && !isFunctionValue(node)) return [];
  return resolver.resolve(node, path.scope).targets;
}

function contextOf(path: NodePath, functions: ReadonlyMap<t.Node, FunctionInfo>): CallContext {
  let child: NodePath = path;
  for (let parent = path.parentPath; parent; child = parent, parent = parent.parentPath) {
    if (parent.isFunction()) {
      // A method's computed key and decorators are evaluated outside the method.
      if (child.key === 'key' || child.listKey === 'decorators') continue;
      const fn = functions.get(parent.node)!;
      if (child.listKey === 'params') {
        return { kind: 'forbidden', what: `a default value in the parameters of ${fn.label}`, hint: 'compute it in the function body' };
      }
      return { kind: 'function', fn };
    }
    if ((parent.isClassProperty() || parent.isClassPrivateProperty() || parent.isClassAccessorProperty()) && child.key === 'value') {
      const name = staticKeyName(parent.node.key, parent.node.type !== 'ClassPrivateProperty' && parent.node.computed) ?? '[computed]';
      return { kind: 'forbidden', what: `the initializer of the class field ${name}`, hint: 'set the field in a method the script calls' };
    }
    if (parent.isStaticBlock()) return { kind: 'forbidden', what: 'a static initialization block', hint: 'move the call into a function the script calls' };
  }
  return { kind: 'module' };
}

/** Module-level names and the names they are exported under (`export { main_default as default }`). */
function exportNames(program: t.Program): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of program.body) {
    if (statement.type !== 'ExportNamedDeclaration' || statement.source) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type !== 'ExportSpecifier') continue;
      const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value;
      if (!names.has(specifier.local.name) || exported === 'default') names.set(specifier.local.name, exported);
    }
  }
  return names;
}
