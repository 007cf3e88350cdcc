import { initializingVu } from '../runtime/init-vu.ts';
import type { ModuleDefinition } from '../runtime/vu-context.ts';

/**
 * k6/data's SharedArray: its callback runs once for the whole test, in the main thread when it reads the script's
 * options; the workers get the result as JSON (sharedArrays below) and each keeps one frozen copy for all its VUs.
 */
const arrays = new Map<string, readonly unknown[]>();

/** Every SharedArray built so far, as JSON by name: what the workers are given. */
export function sharedArraysJson(): Record<string, string> {
  return Object.fromEntries([...arrays].map(([name, array]) => [name, JSON.stringify(array)]));
}

/** Forgets the arrays of an earlier test in this thread, and takes the ones the main thread built. */
export function loadSharedArrays(json: Record<string, string>): void {
  arrays.clear();
  for (const [name, text] of Object.entries(json)) arrays.set(name, deepFreeze(JSON.parse(text) as unknown[]));
}

function SharedArray(this: unknown, name: string, build: () => unknown): readonly unknown[] {
  if (!new.target) throw new Error('SharedArray must be called with new');
  if (initializingVu()?.stage() !== 'init') throw new Error('new SharedArray must be called in the init context');
  if (typeof name !== 'string' || name === '') throw new Error('SharedArray needs a name');
  const known = arrays.get(name);
  if (known) return known;
  if (typeof build !== 'function') throw new Error('SharedArray needs a function that returns an array');
  const built = build();
  if (!Array.isArray(built)) throw new Error('the callback of a SharedArray must return an array');
  // A JSON round trip, as k6 does: functions and class instances do not survive, and nothing is shared by reference.
  const frozen = deepFreeze(JSON.parse(JSON.stringify(built)) as unknown[]);
  arrays.set(name, frozen);
  return frozen;
}

const members = { SharedArray };
const namespace = Object.freeze({ ...members, default: members });

export const dataModule: ModuleDefinition = {
  name: 'k6/data',
  instantiate: () => namespace,
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
