import type { TagSet } from '../metrics/types.ts';

/** Merged tag sets kept per base set: past this many shapes, tags are merged anew each time (unbounded values). */
const MAX_CACHED_PER_BASE = 512;

const merged = new WeakMap<TagSet, Map<string, TagSet>>();

/**
 * A sample's tags: the VU's tags, then the call's own (k6 turns every tag value into a string). The VU's tag object
 * itself when the call adds none. The same call tags on the same base give back the same frozen object, so that the
 * worker interns it by identity instead of sorting and joining its keys for every sample.
 */
export function withTags(base: TagSet, extra: unknown): TagSet {
  if (extra === undefined || extra === null || typeof extra !== 'object') return base;
  let key = '';
  for (const name in extra as Record<string, unknown>) {
    const value = (extra as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    key += `${name}\u0000${typeof value === 'string' ? value : String(value)}\u0001`;
  }
  if (key === '') return base;
  let cache = merged.get(base);
  const known = cache?.get(key);
  if (known) return known;
  const tags: Record<string, string> = { ...base };
  for (const name in extra as Record<string, unknown>) {
    const value = (extra as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    tags[name] = typeof value === 'string' ? value : String(value);
  }
  const frozen = Object.freeze(tags);
  if (Object.isFrozen(base)) {
    if (!cache) merged.set(base, (cache = new Map()));
    if (cache.size < MAX_CACHED_PER_BASE) cache.set(key, frozen);
  }
  return frozen;
}
