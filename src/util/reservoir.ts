/**
 * Reservoir keeps a uniform sample of at most `size` items out of everything offered (Vitter's
 * algorithm R), so memory stays bounded whatever the stream's rate. Its PRNG (xorshift32) is
 * seeded, so a replay samples the same items every time.
 *
 *   r.offer(item);
 *   const j = r.slot(); if (j >= 0) r.items[j] = x; // the same, reading x only when it is kept
 *
 * slot() is for the hot path: a window offers hundreds of thousands of feature values to a sample of
 * a few hundred, and a fractional number read out of a parsed object (to be offered) is a new box.
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  /** how many items were offered in all */
  seen = 0;
  private rng: number;

  constructor(
    private readonly size: number,
    seed = 0x2545f491,
  ) {
    this.rng = seed >>> 0 || 1;
  }

  offer(item: T): void {
    const j = this.slot();
    if (j >= 0) this.items[j] = item;
  }

  /**
   * slot counts one more item offered and returns where it goes in `items` (its end while the sample
   * is not full, else the place of the item it replaces), or -1 when it is not kept.
   */
  slot(): number {
    this.seen++;
    if (this.items.length < this.size) return this.items.length;
    if (this.size === 0) return -1;
    const j = Math.floor(this.random() * this.seen);
    return j < this.size ? j : -1;
  }

  private random(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng / 2 ** 32;
  }
}
