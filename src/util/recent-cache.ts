/**
 * RecentCache remembers the values of the last few keys asked for (a key: a few strings, compared by
 * identity or value), round robin: the cache in front of nested maps on the hot path, where a
 * stream interleaves a few keys at a time (surfaces, model versions) and a cache of one missed at
 * every change.
 *
 *   const hit = cache.get(key); if (hit === undefined) { …maps…; cache.set(key, value); }
 */
export class RecentCache<V> {
  private readonly keys: string[][] = [];
  private readonly values: V[] = [];
  /** the entry the next new key replaces */
  private next = 0;

  constructor(private readonly size: number) {}

  /** get: the value remembered for key, or undefined */
  get(key: readonly string[]): V | undefined {
    for (let c = 0; c < this.values.length; c++) {
      const k = this.keys[c];
      let same = true;
      for (let i = 0; i < key.length && same; i++) same = key[i] === k[i];
      if (same) return this.values[c];
    }
    return undefined;
  }

  /** set remembers value for key (a copy of it), in place of the oldest entry when full */
  set(key: readonly string[], value: V): void {
    const c = this.next;
    this.next = (c + 1) % this.size;
    const k = (this.keys[c] ??= []);
    for (let i = 0; i < key.length; i++) k[i] = key[i];
    this.values[c] = value;
  }

  /** clear forgets every key (when a value may have changed its meaning) */
  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
    this.next = 0;
  }
}
