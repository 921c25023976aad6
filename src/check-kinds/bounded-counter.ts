/**
 * BoundedCounter counts occurrences per key for at most `max` distinct keys (first come); the
 * occurrences of later keys are added to `overflow`, so memory stays bounded however many items,
 * versions or segments a window sees.
 */
export class BoundedCounter {
  private readonly counts = new Map<string, number>();
  /** occurrences of keys beyond the cap */
  overflow = 0;
  total = 0;

  constructor(private readonly max: number) {}

  add(key: string, n = 1): void {
    this.total += n;
    const cur = this.counts.get(key);
    if (cur !== undefined) this.counts.set(key, cur + n);
    else if (this.counts.size < this.max) this.counts.set(key, n);
    else this.overflow += n;
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** distinct keys counted (a lower bound when `capped`) */
  get size(): number {
    return this.counts.size;
  }

  /** whether some keys were not counted individually */
  get capped(): boolean {
    return this.overflow > 0;
  }

  values(): number[] {
    return [...this.counts.values()];
  }

  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  /** top: the n most frequent keys, most frequent first (ties by key, so the order is stable) */
  top(n: number): Array<[string, number]> {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  }
}
