/**
 * Reservoir keeps a uniform sample of at most `size` items out of everything offered, so memory
 * stays bounded whatever the stream's rate. Once full it draws how many items to skip before the
 * next one it keeps (Li's Algorithm L) instead of a random number per item (Algorithm R): on the hot
 * path, where a window offers hundreds of thousands of values to a sample of a few hundred, an item
 * not kept costs a counter and a comparison. Its PRNG (xorshift32) is seeded, so a replay samples
 * the same items every time.
 *
 *   r.offer(item);
 *   const j = r.slot(); if (j >= 0) r.items[j] = x; // the same, without passing x when it is not kept
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  /** how many items were offered in all */
  seen = 0;
  private rng: number;
  /** once full: the count (`seen`) at which the next item is kept, 0 before the first draw */
  private nextKept = 0;
  /** Algorithm L's running weight: the largest of `size` uniform keys drawn so far */
  private w = 0;

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
    const n = ++this.seen;
    if (this.items.length < this.size) return this.items.length;
    if (n < this.nextKept) return -1;
    if (this.size === 0) return -1;
    if (this.nextKept === 0) {
      // the sample just filled up with the items before this one: draw the first skip
      this.w = Math.exp(Math.log(this.random()) / this.size);
      this.skipFrom(n - 1);
      if (n < this.nextKept) return -1;
    }
    const j = Math.floor(this.random() * this.size);
    this.w *= Math.exp(Math.log(this.random()) / this.size);
    this.skipFrom(n);
    return j;
  }

  /** skipFrom: the next item kept after the one counted `count` comes a geometric number of items later (Algorithm L) */
  private skipFrom(count: number): void {
    this.nextKept = count + Math.floor(Math.log(this.random()) / Math.log(1 - this.w)) + 1;
  }

  /** random: uniform in (0, 1), never 0 (xorshift32 never yields 0), so its log is finite */
  private random(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng / 2 ** 32;
  }
}
