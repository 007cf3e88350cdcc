import type { VuContext } from '../../runtime/vu-context.ts';
import { BLOCKING_VARIANT } from '../../script/vu-scope.ts';
import { cannotBlockMessage } from './http-errors.ts';

export type BlockingFunction<A extends unknown[], R> = ((...args: A) => never) & { [BLOCKING_VARIANT]: (...args: A) => Promise<R> };

/**
 * A k6 function that blocks the VU (http.get, http.batch, …). The engine's rewrite awaits its asynchronous variant;
 * called plainly it cannot make the VU wait, so it throws (in the init stage, with k6's own error for the call).
 */
export function blockingFunction<A extends unknown[], R>(vu: VuContext, name: string, initError: string, variant: (...args: A) => Promise<R>): BlockingFunction<A, R> {
  const plain = (..._args: A): never => {
    throw new Error(vu.stage() === 'init' ? initError : cannotBlockMessage(name));
  };
  Object.defineProperty(plain, 'name', { value: name });
  return Object.assign(plain, { [BLOCKING_VARIANT]: variant });
}
