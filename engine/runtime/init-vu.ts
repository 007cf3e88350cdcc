import type { VuContext } from './vu-context.ts';

let current: VuContext | undefined;

/**
 * The VU whose init code runs now. A worker evaluates one VU's init code at a time, synchronously, so that modules
 * whose objects are made only in the init stage (metrics, SharedArray) can share one set of functions across VUs and
 * learn the VU here, instead of building closures for every VU.
 */
export function initializingVu(): VuContext | undefined {
  return current;
}

export function runInitFor<T>(vu: VuContext, fn: () => T): T {
  const previous = current;
  current = vu;
  try {
    return fn();
  } finally {
    current = previous;
  }
}
