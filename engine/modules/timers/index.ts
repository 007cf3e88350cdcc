import type { ModuleDefinition, VuContext } from '../../runtime/vu-context.ts';
import { VuTimers } from './vu-timers.ts';

/** k6/timers: setTimeout, clearTimeout, setInterval, clearInterval, on the VU's event loop. */
export const timersModule: ModuleDefinition = {
  name: 'k6/timers',
  instantiate(vu: VuContext): Record<string, unknown> {
    const timers = new VuTimers(vu);
    const exports = {
      setTimeout: (callback: unknown, delay?: unknown, ...args: unknown[]): number => timers.setTimeout(callback, delay, args),
      clearTimeout: (id?: unknown): void => timers.clear(id),
      setInterval: (callback: unknown, delay?: unknown, ...args: unknown[]): number => timers.setInterval(callback, delay, args),
      clearInterval: (id?: unknown): void => timers.clear(id),
    };
    return { ...exports, default: exports };
  },
};
