import type { Random } from "../agents/prng.ts";

/**
 * Picks among options by a seeded random, but hands out each option once, in
 * a shuffled order, before any repeats: every run of a few frames shows every
 * variant, so a client decoder meets all of them in one run.
 */
export function coveringPicker<T>(options: readonly T[], random: Random): () => T {
  const first = [...options];
  for (let i = first.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [first[i], first[j]] = [first[j]!, first[i]!];
  }
  let used = 0;
  return () => (used < first.length ? first[used++]! : options[Math.floor(random() * options.length)]!);
}
