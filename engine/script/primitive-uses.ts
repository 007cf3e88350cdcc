import type { Binding, NodePath } from '@babel/traverse';
import type * as t from '@babel/types';
import { isCall, isMember, memberName } from './babel-names.ts';
import { blocksByItself, primitiveOf, type PrimitiveModule } from './blocking-primitives.ts';
import { moduleMemberOf } from './callee-resolution.ts';
import type { RewriteFailure } from './rewrite-failure.ts';

/**
 * The rewrite follows a blocking primitive only where it is called directly: `sleep(1)`, `http.get(url)`. Anywhere
 * else (`const get = http.get`, `[1, 2].forEach(sleep)`, `helper(http)`) its call could not be made to wait.
 */
export function primitiveUseFailures(bindings: readonly Binding[]): RewriteFailure[] {
  const failures: RewriteFailure[] = [];
  for (const binding of bindings) {
    const member = moduleMemberOf(binding);
    if (!member) continue;
    for (const reference of binding.referencePaths) {
      const failure = member.imported === '*' ? moduleObjectFailure(reference, member.module) : namedFailure(reference, primitiveOf(member.module, member.imported));
      if (failure) failures.push(failure);
    }
  }
  return failures;
}

function namedFailure(reference: NodePath, primitive: string | undefined): RewriteFailure | undefined {
  if (!blocksByItself(primitive) || isDirectCallee(reference)) return undefined;
  return { at: reference.node, message: valueMessage(primitive!) };
}

function moduleObjectFailure(reference: NodePath, module: PrimitiveModule): RewriteFailure | undefined {
  let object: NodePath = reference;
  let access = reference.parentPath;
  // esbuild reads a CommonJS-wrapped import as `import_http.default.get(…)`.
  if (access && isMember(access.node) && access.node.object === object.node && memberName(access.node) === 'default') {
    object = access;
    access = access.parentPath;
  }
  if (!access || !isMember(access.node) || access.node.object !== object.node) {
    if (access?.node.type === 'ExportSpecifier') return undefined;
    const example = module === 'k6' ? 'sleep(1)' : 'http.get(url)';
    return { at: reference.node, message: `the ${module} module object is used as a value here; agent-sla can pause a VU only at a direct call such as ${example}: call it that way` };
  }
  const name = memberName(access.node);
  if (name === undefined) return { at: access.node, message: `a member of ${module} is read by a computed name; agent-sla can pause a VU only at a direct call: name the function` };
  const primitive = primitiveOf(module, name);
  if (!blocksByItself(primitive) || isDirectCallee(access)) return undefined;
  return { at: access.node, message: valueMessage(primitive!) };
}

/** A direct call, or `typeof`, which reads the function without calling it. */
function isDirectCallee(path: NodePath): boolean {
  const reader = path.parentPath?.node;
  if (reader?.type === 'UnaryExpression' && reader.operator === 'typeof') return true;
  let current: NodePath = path;
  let parent = path.parentPath;
  // `(0, http.get)(url)` is still a direct call.
  while (parent?.node.type === 'SequenceExpression' && parent.node.expressions[parent.node.expressions.length - 1] === current.node) {
    current = parent;
    parent = parent.parentPath;
  }
  const node: t.Node | undefined = parent?.node;
  return node !== undefined && isCall(node) && node.callee === current.node;
}

function valueMessage(primitive: string): string {
  return `${primitive} is used as a value here; agent-sla can pause a VU only at a direct call: call ${primitive}(…) itself`;
}
