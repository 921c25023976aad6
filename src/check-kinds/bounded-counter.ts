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

  /**
   * top: the n most frequent keys, most frequent first (ties by key, so the order is stable). One
   * pass keeping the best n, not a sort of every key: windows count up to 100 000 items for a top 5.
   */
  top(n: number): Array<[string, number]> {
    const best: Array<[string, number]> = [];
    if (n <= 0) return best;
    const before = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
    for (const entry of this.counts) {
      if (best.length < n) best.push(entry);
      else if (before(entry, best[n - 1])) best[n - 1] = entry;
      else continue;
      // one insertion-sort step moves the new entry up to its place
      for (let i = best.length - 1; i > 0 && before(best[i], best[i - 1]); i--) [best[i], best[i - 1]] = [best[i - 1], best[i]];
    }
    return best;
  }
}
