/** Node's globals a k6 script must not reach, even as properties of globalThis. */
const HIDDEN = ['process', 'Buffer', 'global', 'setImmediate', 'clearImmediate', 'fetch', 'require', 'module', 'exports', '__dirname', '__filename'];

/**
 * One VU's `globalThis`. In k6 every VU is a runtime of its own, so a value one VU puts on globalThis no other VU
 * sees. Here the VUs of a worker share one realm: each gets an object that reads through to the real global object
 * (JSON, Date, URL, …) but keeps what the VU writes, with the k6 timers and the VU's Math instead of Node's.
 */
export function vuGlobal(timers: Record<string, unknown>, math: Math): object {
  const own: PropertyDescriptorMap = {
    Math: { value: math, writable: true, configurable: true },
    setTimeout: { value: timers.setTimeout, writable: true, configurable: true },
    clearTimeout: { value: timers.clearTimeout, writable: true, configurable: true },
    setInterval: { value: timers.setInterval, writable: true, configurable: true },
    clearInterval: { value: timers.clearInterval, writable: true, configurable: true },
  };
  for (const name of HIDDEN) own[name] = { value: undefined, writable: true, configurable: true };
  const global = Object.create(globalThis, own) as Record<string, unknown>;
  Object.defineProperty(global, 'globalThis', { value: global, writable: true, configurable: true });
  return global;
}
