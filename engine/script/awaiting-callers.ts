import type { Scope } from '@babel/traverse';
import type * as t from '@babel/types';
import { isMember, memberName, unwrapExpression } from './babel-names.ts';
import type { CallGraph } from './call-graph.ts';
import { importedNameOf, moduleMemberOfName } from './callee-resolution.ts';

const LOOP_CALLBACKS = new Set(['map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'sort', 'from']);

/** Array iteration and the like: they call their callback synchronously and ignore or use what it returns. */
export function isLoopCallback(callee: string): boolean {
  return LOOP_CALLBACKS.has(callee);
}

/** Callers that await a callback's promise, or run it on the VU's event loop, which waits for it. */
export function awaitsCallback(call: t.CallExpression | t.OptionalCallExpression | t.NewExpression, index: number, scope: Scope, graph: CallGraph): boolean {
  const callee = unwrapExpression(call.callee);
  if (call.type === 'NewExpression') return index === 0 && callee.type === 'Identifier' && callee.name === 'Promise' && !scope.getBinding('Promise');
  if (index === 1 && graph.resolver.resolve(call.callee, scope).primitive === 'group') return true;
  if (index === 0 && isTimer(callee, scope)) return true;
  if (isMember(callee)) {
    const name = memberName(callee);
    if (name === 'then' || name === 'catch' || name === 'finally') return true;
    if (name === 'addEventListener' && index === 1) return true;
  }
  return false;
}

/** setTimeout/setInterval: the globals, or k6/timers' own. */
function isTimer(callee: t.Node, scope: Scope): boolean {
  const isTimerName = (name: string | undefined): boolean => name === 'setTimeout' || name === 'setInterval';
  if (isMember(callee)) {
    const object = callee.object.type === 'Identifier' ? scope.getBinding(callee.object.name) : undefined;
    const imported = object && importedNameOf(object);
    return imported?.module === 'k6/timers' && imported.imported === '*' && isTimerName(memberName(callee));
  }
  if (callee.type !== 'Identifier') return false;
  const binding = scope.getBinding(callee.name);
  if (!binding) return isTimerName(callee.name);
  const imported = importedNameOf(binding);
  return imported?.module === 'k6/timers' && isTimerName(imported.imported);
}

export function isK6Check(callee: t.Node, scope: Scope): boolean {
  const node = unwrapExpression(callee);
  if (node.type === 'Identifier') {
    const member = moduleMemberOfName(node.name, scope);
    return member?.module === 'k6' && member.imported === 'check';
  }
  if (isMember(node) && node.object.type === 'Identifier') {
    const member = moduleMemberOfName(node.object.name, scope);
    return member?.module === 'k6' && member.imported === '*' && memberName(node) === 'check';
  }
  return false;
}
