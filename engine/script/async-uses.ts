import type { NodePath, Scope } from '@babel/traverse';
import type * as t from '@babel/types';
import { calleeLabel, isCall, isMember, memberName, staticKeyName, unwrapExpression } from './babel-names.ts';
import { isEsbuildExportGetter, type CallGraph } from './call-graph.ts';
import { awaitsCallback, isK6Check, isLoopCallback } from './awaiting-callers.ts';
import type { FunctionInfo } from './function-info.ts';
import { blockingMessage, type RewriteFailure } from './rewrite-failure.ts';

/**
 * Checks that every function made async is used only where its promise is awaited: called (the rewrite awaits the
 * call), exported (the engine awaits exports), or handed to something that awaits or ignores what it returns.
 */
export function asyncUseFailures(graph: CallGraph): RewriteFailure[] {
  const failures: RewriteFailure[] = [];
  for (const fn of graph.functions.values()) {
    if (!fn.needsAsync) continue;
    const failure = kindFailure(fn) ?? placeFailure(fn, graph);
    if (failure) failures.push(failure);
  }
  return failures;
}

function kindFailure(fn: FunctionInfo): RewriteFailure | undefined {
  const at = fn.node.type === 'ObjectMethod' || fn.node.type === 'ClassMethod' || fn.node.type === 'ClassPrivateMethod' ? fn.node.key : fn.node;
  const fail = (subject: string, hint: string): RewriteFailure => ({ at, message: blockingMessage(subject, fn.reason!, hint) });
  if (fn.node.generator) return fail(`the generator ${fn.label}`, 'use a plain function that returns an array');
  switch (fn.kind) {
    case 'getter':
      return fail(`the getter ${fn.label}`, 'make it a method and call it');
    case 'setter':
      return fail(`the setter ${fn.label}`, 'make it a method and call it');
    case 'constructor':
      return fail(`the constructor of ${fn.label}`, 'move the call into a method and call it after new');
    default:
      return undefined;
  }
}

/** Where the function's value goes: through its binding's references, or where the expression itself stands. */
function placeFailure(fn: FunctionInfo, graph: CallGraph): RewriteFailure | undefined {
  const node = fn.node;
  if (node.type === 'ObjectMethod') return objectMemberFailure(fn, fn.path, fn.path);
  if (node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod') {
    return fn.methodNames.size === 0 ? { at: node.key, message: blockingMessage(`the method ${fn.label}`, fn.reason!, 'give it a name the script calls it by') } : undefined;
  }
  const uses: NodePath[] = [];
  const binding = ownBinding(fn);
  if (binding) uses.push(...binding.referencePaths);
  if (node.type !== 'FunctionDeclaration' && !binding) uses.push(fn.path);
  if (node.type === 'FunctionExpression' && node.id) uses.push(...(fn.path.scope.getBinding(node.id.name)?.referencePaths ?? []));
  for (const use of uses) {
    const failure = useFailure(use, fn, graph);
    if (failure) return failure;
  }
  return undefined;
}

/** The binding that names the function: its declaration, or the variable it is declared into or assigned to. */
function ownBinding(fn: FunctionInfo): ReturnType<Scope['getBinding']> {
  const node = fn.node;
  if (node.type === 'FunctionDeclaration') return node.id ? fn.path.parentPath!.scope.getBinding(node.id.name) : undefined;
  const parent = outermost(fn.path).parentPath?.node;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return fn.path.parentPath!.scope.getBinding(parent.id.name);
  if (parent?.type === 'AssignmentExpression' && parent.left.type === 'Identifier') return fn.path.parentPath!.scope.getBinding(parent.left.name);
  return undefined;
}

/** Climbs `(0, f)`-style wrappers, whose value is the function itself. */
function outermost(path: NodePath): NodePath {
  let current = path;
  for (let parent = current.parentPath; parent; current = parent, parent = parent.parentPath) {
    const node = parent.node;
    const isLast = node.type === 'SequenceExpression' && node.expressions[node.expressions.length - 1] === current.node;
    if (!isLast && node.type !== 'ParenthesizedExpression') break;
  }
  return current;
}

function useFailure(use: NodePath, fn: FunctionInfo, graph: CallGraph): RewriteFailure | undefined {
  const value = outermost(use);
  const parent = value.parentPath;
  const at = use.node;
  if (!parent) return undefined;
  const node = parent.node;
  const stored = (): RewriteFailure => ({
    at,
    message: blockingMessage(`${theFunction(fn)}, used as a value here,`, fn.reason!, 'call it by its own name; agent-sla awaits only calls it can follow'),
  });
  if ((isCall(node) || node.type === 'NewExpression') && node.callee === value.node) return undefined; // awaited, or refused as `new`
  if (node.type === 'TaggedTemplateExpression' && node.tag === value.node) return undefined;
  if (isMember(node) && node.object === value.node) {
    const name = memberName(node);
    const call = parent.parentPath?.node;
    return (name === 'call' || name === 'apply') && call && isCall(call) && call.callee === node ? undefined : stored();
  }
  switch (node.type) {
    case 'ExportSpecifier':
    case 'ExportDefaultDeclaration':
    case 'ExpressionStatement':
      return undefined;
    case 'VariableDeclarator':
      return use === fn.path ? undefined : stored();
    case 'AssignmentExpression':
      if (node.right !== value.node) return stored();
      if (isMember(node.left)) return memberName(node.left) === undefined ? computedNameFailure(`${theFunction(fn)}, stored under a computed name,`, fn, at) : undefined;
      return use === fn.path ? undefined : stored();
    case 'ClassProperty':
    case 'ClassPrivateProperty':
      return node.value === value.node ? undefined : stored();
    case 'ObjectProperty':
      return node.value === value.node ? objectMemberFailure(fn, value, parent) : stored();
    case 'ArrowFunctionExpression':
      return node.body === value.node && isEsbuildExportGetter(parent) ? undefined : stored();
    case 'CallExpression':
    case 'OptionalCallExpression':
    case 'NewExpression':
      return argumentFailure(node, node.arguments.indexOf(value.node as t.Expression), parent.scope, fn, at, graph);
    default:
      return stored();
  }
}

/** `x.m = f` makes `f` callable as `obj.m()`, and `x.onmessage = f` a handler; a computed name cannot be followed. */
function computedNameFailure(subject: string, fn: FunctionInfo, at: t.Node): RewriteFailure {
  return { at, message: blockingMessage(subject, fn.reason!, 'give it a name the script calls it by') };
}

function theFunction(fn: FunctionInfo): string {
  return fn.label === 'an anonymous function' ? 'this function' : `the function ${fn.label}`;
}

/** An object literal's member is called by name, unless the object goes to check() or to esbuild's module wrappers. */
function objectMemberFailure(fn: FunctionInfo, member: NodePath, property: NodePath): RewriteFailure | undefined {
  const key = property.node.type === 'ObjectProperty' || property.node.type === 'ObjectMethod' ? property.node : undefined;
  const object = property.parentPath;
  const call = object?.parentPath?.node;
  if (key && staticKeyName(key.key, key.computed) === undefined) {
    return computedNameFailure('the method with a computed name', fn, member.node);
  }
  if (!object || !call || !isCall(call) || !call.arguments.includes(object.node as t.Expression)) return undefined;
  const callee = unwrapExpression(call.callee);
  if (callee.type === 'Identifier' && (callee.name === '__commonJS' || callee.name === '__esm')) {
    const at = fn.reason?.kind === 'blocks' ? fn.reason.at : member.node;
    return { at, message: blockingMessage('the top level of an imported CommonJS module', fn.reason!, 'move the call into a function the script calls') };
  }
  if (isK6Check(call.callee, object.scope)) {
    const name = key ? staticKeyName(key.key, key.computed) : undefined;
    return { at: member.node, message: blockingMessage(`the check "${name ?? '?'}" passed to check()`, fn.reason!, 'make the request before check() and check its result') };
  }
  return undefined;
}

function argumentFailure(call: t.CallExpression | t.OptionalCallExpression | t.NewExpression, index: number, scope: Scope, fn: FunctionInfo, at: t.Node, graph: CallGraph): RewriteFailure | undefined {
  if (awaitsCallback(call, index, scope, graph)) return undefined;
  const callee = calleeLabel(call.callee);
  const hint = isLoopCallback(callee) ? 'use a for…of loop' : isK6Check(call.callee, scope) ? 'make the request before check() and check its result' : 'call it directly';
  return { at, message: blockingMessage(`the callback passed to ${callee}()`, fn.reason!, hint) };
}
