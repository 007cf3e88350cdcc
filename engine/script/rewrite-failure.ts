import type * as t from '@babel/types';
import type { AsyncReason } from './function-info.ts';

/** Something the rewrite cannot make wait: a one-line problem, placed at a node of the bundle. */
export interface RewriteFailure {
  at: t.Node;
  message: string;
}

const MAX_CHAIN = 6;

/** `the callback passed to map() calls load() → http.get, which blocks; …: use a for…of loop` */
export function blockingMessage(subject: string, reason: AsyncReason, hint: string): string {
  return `${subject} calls ${chainOf(reason)}, which blocks; agent-sla can pause a VU only in code it can make async: ${hint}`;
}

/** The calls from a function down to the blocking primitive it reaches: `load() → fetchOne() → http.get`. */
export function chainOf(reason: AsyncReason): string {
  const parts: string[] = [];
  // Reasons point only at functions marked earlier, so the chain ends; the bound is a guard all the same.
  for (let current: AsyncReason | undefined = reason, steps = 0; current && steps < 10_000; steps++) {
    if (current.kind === 'blocks') {
      parts.push(current.primitive);
      break;
    }
    if (current.kind === 'calls') {
      parts.push(`${current.callee.label}()`);
      current = current.callee.reason;
    } else {
      parts.push('group()');
      current = current.callback.reason;
    }
  }
  const shown = parts.length > MAX_CHAIN ? [...parts.slice(0, MAX_CHAIN - 2), '…', parts[parts.length - 1]!] : parts;
  return shown.join(' → ');
}
