/**
 * Reservoir keeps a uniform sample of at most `size` items out of everything offered (Vitter's
 * algorithm R), so memory stays bounded whatever the stream's rate. Its PRNG (xorshift32) is
 * seeded, so a replay samples the same items every time.
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
    this.seen++;
    if (this.items.length < this.size) this.items.push(item);
    else if (this.size > 0) {
      const j = Math.floor(this.random() * this.seen);
      if (j < this.size) this.items[j] = item;
    }
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
