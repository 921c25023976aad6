/** seededRandom: the project's mulberry32, so the "noisy" series of the tests are the same on every run. */
export { mulberry32 as seededRandom } from '../../src/util/prng';

/** gaussian: standard normal draws (Box–Muller) from a seeded uniform source. */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
