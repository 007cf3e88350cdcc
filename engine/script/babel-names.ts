import type * as t from '@babel/types';

/** The expression a call actually evaluates as its callee: `(0, f)` is `f`, as bundlers write it. */
export function unwrapExpression(node: t.Node): t.Node {
  let current = node;
  while (current.type === 'SequenceExpression' && current.expressions.length > 0) current = current.expressions[current.expressions.length - 1]!;
  while (current.type === 'ParenthesizedExpression') current = current.expression;
  return current;
}

/** The name of a key written statically: `m`, `'m'`, `["m"]`, `#m`; undefined for a computed one. */
export function staticKeyName(key: t.Node, computed: boolean): string | undefined {
  if (key.type === 'PrivateName') return `#${key.id.name}`;
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  return undefined;
}

/** The property a member expression reads, when written statically. */
export function memberName(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  return staticKeyName(node.property, node.computed);
}

export function isMember(node: t.Node): node is t.MemberExpression | t.OptionalMemberExpression {
  return node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression';
}

export function isCall(node: t.Node): node is t.CallExpression | t.OptionalCallExpression {
  return node.type === 'CallExpression' || node.type === 'OptionalCallExpression';
}

export function isFunctionValue(node: t.Node): node is t.FunctionExpression | t.ArrowFunctionExpression {
  return node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

/** How a callee reads in a message: `map`, `http.get`, `this.load`. */
export function calleeLabel(node: t.Node): string {
  const callee = unwrapExpression(node);
  if (callee.type === 'Identifier') return callee.name;
  if (isMember(callee)) return memberName(callee) ?? 'a computed method';
  return 'a function';
}
