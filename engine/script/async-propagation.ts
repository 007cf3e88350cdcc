import type * as t from '@babel/types';
import { blocksByItself } from './blocking-primitives.ts';
import type { CallGraph, CallSite } from './call-graph.ts';
import type { AsyncReason, FunctionInfo } from './function-info.ts';
import { blockingMessage, type RewriteFailure } from './rewrite-failure.ts';

export interface Propagation {
  /** Module-level code awaits: the module body must run as an async function. */
  topLevelAwait: boolean;
  failures: RewriteFailure[];
}

/**
 * Marks, to a fixpoint, every function that must become async, and every call that must be awaited: the blocking
 * primitives' calls, the calls of functions made async (by binding, or by method name), and group() calls whose
 * callback was made async.
 */
export function propagateAsync(graph: CallGraph): Propagation {
  const directSites = new Map<FunctionInfo, CallSite[]>();
  const namedSites = new Map<string, CallSite[]>();
  const groupSites = new Map<FunctionInfo, CallSite[]>();
  for (const site of graph.sites) {
    for (const target of site.resolution.targets) push(directSites, target, site);
    if (site.resolution.memberName !== undefined) push(namedSites, site.resolution.memberName, site);
    for (const callback of site.groupCallbacks) push(groupSites, callback, site);
  }

  const result: Propagation = { topLevelAwait: false, failures: [] };
  const queue: FunctionInfo[] = [];
  const reach = (site: CallSite, reason: AsyncReason): void => {
    const context = site.context;
    if (context.kind === 'module') result.topLevelAwait = true;
    else if (context.kind === 'forbidden') result.failures.push({ at: site.node, message: blockingMessage(context.what, reason, context.hint) });
    else if (!context.fn.userAsync && !context.fn.needsAsync) {
      context.fn.needsAsync = true;
      context.fn.reason = reason;
      queue.push(context.fn);
    }
  };

  for (const site of graph.sites) {
    const primitive = site.resolution.primitive;
    if (primitive !== undefined && blocksByItself(primitive) && site.node.type !== 'NewExpression' && site.node.type !== 'TaggedTemplateExpression') {
      site.rewrite = 'block';
      reach(site, { kind: 'blocks', primitive, at: site.node });
    }
  }
  for (let fn = queue.shift(); fn; fn = queue.shift()) {
    const callers = [...(directSites.get(fn) ?? [])];
    for (const name of fn.methodNames) callers.push(...(namedSites.get(name) ?? []));
    for (const site of callers) {
      if (site.rewrite !== 'none') continue;
      if (site.node.type === 'NewExpression') {
        result.failures.push(newFailure(site.node, fn));
        continue;
      }
      site.rewrite = 'await';
      reach(site, { kind: 'calls', callee: fn });
    }
    for (const site of groupSites.get(fn) ?? []) {
      if (site.rewrite !== 'none') continue;
      site.rewrite = 'await';
      reach(site, { kind: 'group', callback: fn });
    }
  }
  return result;
}

function newFailure(node: t.Node, fn: FunctionInfo): RewriteFailure {
  return { at: node, message: blockingMessage(`the constructor ${fn.label}, called with new,`, fn.reason!, 'make it a plain function or a method and call it') };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
