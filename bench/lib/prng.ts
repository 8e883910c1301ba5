/**
 * A small seeded pseudo-random number generator (mulberry32) so that the synthetic corpus and the
 * queries are identical on every run with the same seed. Not for anything security related.
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/** Derives a 32-bit seed from a base seed and labels (FNV-1a), e.g. one independent stream per document. */
export function deriveSeed(base: number, ...labels: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const part of [String(base), ...labels.map(String)]) {
    for (let i = 0; i < part.length; i++) {
      hash ^= part.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hash ^= 0x1f; // separator, so ("ab", "c") and ("a", "bc") differ
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
