import type { VuContext } from '../runtime/vu-context.ts';

/**
 * k6's randomSeed(): Math.random of that VU gives a repeatable sequence from then on. Each VU sees Math through
 * vuMath(), whose random() draws from the VU's seeded generator once one is set, from V8's otherwise.
 */
class SeededRandom {
  private readonly states = new WeakMap<VuContext, { value: number }>();

  seed(vu: VuContext, seed: number): void {
    this.states.set(vu, { value: Math.trunc(seed) >>> 0 });
  }

  /** A number in [0, 1): mulberry32, a small 32-bit generator with a full period. */
  next(vu: VuContext): number {
    const state = this.states.get(vu);
    if (!state) return Math.random();
    state.value = (state.value + 0x6d2b79f5) >>> 0;
    let t = state.value;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export const seededRandom = new SeededRandom();

/** The Math a VU's script sees: the real one, with random() per VU. */
export function vuMath(vu: VuContext): Math {
  return Object.create(Math, { random: { value: () => seededRandom.next(vu), enumerable: false } }) as Math;
}
