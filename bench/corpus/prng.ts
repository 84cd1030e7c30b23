/**
 * Seeded randomness for the corpus builder, so one `(size, seed)` pair always yields the same file
 * from the same apt lists.
 *
 * @example
 * const next = mulberry32(42);
 * const order = shuffled(['a', 'b', 'c'], next);
 */
export type Random = () => number;

/** mulberry32: a tiny 32-bit PRNG, plenty for shuffling and picking; not for anything secret. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in `[min, max]`, both ends included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A Fisher–Yates shuffled copy; the input is left alone. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
