import { BLOCKING_VARIANT } from '../script/vu-scope.ts';
import { withTags } from '../runtime/tags.ts';
import { now } from '../runtime/vu.ts';
import type { ModuleDefinition, VuContext } from '../runtime/vu-context.ts';
import { seededRandom } from './seeded-random.ts';

/** k6 refuses these in group and check names: they would break the `::` path. */
const NAME_SEPARATOR = '::';

/** The `k6` module: check, group, sleep, fail, randomSeed. */
export const k6CoreModule: ModuleDefinition = {
  name: 'k6',
  instantiate(vu) {
    const checks = vu.metric('checks', 'rate');
    const groupDuration = vu.metric('group_duration', 'trend', 'time');

    function check(value: unknown, sets: Record<string, unknown>, tags?: Record<string, unknown>): boolean {
      if (vu.stage() === 'init') throw new Error('check() is not supported in the init context');
      const base = withTags(vu.tags(), tags);
      const group = vu.groupPath();
      let all = true;
      for (const [name, predicate] of Object.entries(sets ?? {})) {
        if (name.includes(NAME_SEPARATOR)) throw new Error(`check name "${name}" may not contain '${NAME_SEPARATOR}'`);
        const ok = Boolean(typeof predicate === 'function' ? predicate(value) : predicate);
        const sampleTags = vu.systemTag('check') ? { ...base, check: name } : base;
        vu.emit(checks, ok ? 1 : 0, sampleTags);
        vu.tallyCheck(group, name, ok);
        if (!ok) all = false;
      }
      return all;
    }

    function group<T>(name: string, fn: () => T): T {
      if (vu.stage() === 'init') throw new Error('group() is not supported in the init context');
      if (typeof name !== 'string' || name === '') throw new Error('group() needs a name');
      if (name.includes(NAME_SEPARATOR)) throw new Error(`group name "${name}" may not contain '${NAME_SEPARATOR}'`);
      if (typeof fn !== 'function') throw new Error('group() needs a function');
      const parent = vu.groupPath();
      const path = `${parent}${NAME_SEPARATOR}${name}`;
      vu.setGroupPath(path);
      const started = now();
      const done = (): void => {
        const ended = now();
        vu.emit(groupDuration, ended - started, vu.tags(), ended);
        vu.setGroupPath(parent);
      };
      let result: T;
      try {
        result = fn();
      } catch (error) {
        done();
        throw error;
      }
      if (isThenable(result)) {
        return Promise.resolve(result).then(
          (value) => (done(), value),
          (error: unknown) => {
            done();
            throw error;
          },
        ) as T;
      }
      done();
      return result;
    }

    const sleep = Object.assign(
      (): never => {
        throw new Error('sleep() blocks the VU, and agent-sla could not make this call wait; call it from code the engine can rewrite, or await a k6/timers setTimeout');
      },
      { [BLOCKING_VARIANT]: (seconds: unknown) => pause(vu, Number(seconds)) },
    );

    function fail(message?: string): never {
      throw new Error(message === undefined ? 'fail' : String(message));
    }

    function randomSeed(seed: number): void {
      seededRandom.seed(vu, Number(seed));
    }

    const exports = { check, group, sleep, fail, randomSeed };
    return { ...exports, default: exports };
  },
};

/** sleep's asynchronous variant: this VU waits, the others go on; an interrupted VU stops waiting. */
function pause(vu: VuContext, seconds: number): Promise<void> {
  if (vu.stage() === 'init') return Promise.reject(new Error('sleep() is not supported in the init context'));
  const ms = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
  const signal = vu.signal;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
