import type { AnyNode } from 'acorn';

/**
 * Visits an acorn tree depth first. `enter` returning false skips the node's children. Iterative, so that deeply
 * nested bundles cannot overflow the stack.
 */
export function walkEstree(root: AnyNode, enter: (node: AnyNode, parent: AnyNode | undefined) => boolean | void): void {
  const stack: Array<[AnyNode, AnyNode | undefined]> = [[root, undefined]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, parent] = next;
    if (enter(node, parent) === false) continue;
    const children = childNodes(node);
    for (let index = children.length - 1; index >= 0; index--) stack.push([children[index]!, node]);
  }
}

/** Whether a node starts a new function body: `await` inside it is not top-level await. */
export function isFunctionNode(node: AnyNode): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

function childNodes(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'range') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
