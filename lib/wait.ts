import { clearTimeout, setTimeout } from 'k6/timers';

/** A non-blocking pause for async iterations (k6's sleep() would block the VU's event loop). */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** The promise's value, or `fallback` once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([promise, wait(ms).then(() => fallback)]);
}

/**
 * Waits `ms`, or less when `early` settles first; true when it did. The timer is cleared then, because k6 ends an
 * iteration only when no timer is left pending.
 */
export function waitUnless(ms: number, early: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    const settle = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    early.then(settle, settle);
  });
}
