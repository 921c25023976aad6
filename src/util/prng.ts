// Module-level alias: under jest's vm sandbox every lookup of the global `Math` is slow.
const { imul } = Math;

/** Rng returns a uniform number in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 is a tiny, fast, seeded 32-bit PRNG: the demo world and the diagnosis' sampled
 * permutations use it so the same inputs always give the same result. Not for cryptography.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
