import { setTimeout } from 'k6/timers';

/** A non-blocking pause for async iterations (k6's sleep() would block the VU's event loop). */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** The promise's value, or `fallback` once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([promise, wait(ms).then(() => fallback)]);
}
