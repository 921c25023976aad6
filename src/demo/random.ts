/**
 * Seeded randomness for the demo world. Every draw comes from a PRNG seeded by a hash of the world
 * seed and *where* the draw happens (which minute, which request), never from Math.random: that is
 * what makes `step(from, to)` a pure function of its arguments, so a replay or a test sees the same
 * world however time is sliced.
 */

// Module-level aliases: under jest's vm sandbox every lookup of the global `Math` is slow, and these
// functions run millions of times per simulated day.
const { imul, sqrt, log, cos, exp, floor, round: mathRound, PI } = Math;

export { mulberry32, type Rng } from '../util/prng';
import { mulberry32, type Rng } from '../util/prng';

/** hashInts mixes integers into one 32-bit seed (murmur3-style), so nearby inputs give unrelated seeds. */
export function hashInts(...xs: number[]): number {
  let h = 0x9747b28c ^ xs.length;
  for (const x of xs) {
    // split values beyond 32 bits so large indices still mix fully
    h = mix(h, x | 0);
    h = mix(h, floor(x / 4294967296) | 0);
  }
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix(h: number, part: number): number {
  let k = imul(part, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (imul(h, 5) + 0xe6546b64) | 0;
}

/** rngFor is a fresh PRNG for one place in the world, e.g. `rngFor(seed, TAG_REQUEST, minute, j)`. */
export function rngFor(...xs: number[]): Rng {
  return mulberry32(hashInts(...xs));
}

/** gaussian draws a standard normal value (Box-Muller). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log(0) would be -Infinity
  const v = rng();
  return sqrt(-2 * log(u)) * cos(2 * PI * v);
}

/** poisson draws a Poisson count (Knuth's method: fine for the small rates of one simulated minute). */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 500) return mathRound(Math.max(0, lambda + sqrt(lambda) * gaussian(rng)));
  const limit = exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

/** pickWeighted returns an index drawn with the given (not necessarily normalised) weights. */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** round keeps `digits` decimals, so logged features and scores read well and survive JSON exactly. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return mathRound(x * f) / f;
}
