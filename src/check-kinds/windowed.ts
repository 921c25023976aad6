/**
 * WindowedState keeps one aggregate per open event-time window, created on first use and handed
 * over (and forgotten) when the window closes, so a check's memory is bounded by its open windows.
 */
export class WindowedState<A> {
  private readonly open = new Map<number, A>();
  constructor(private readonly create: () => A) {}
  at(windowStart: number): A {
    let agg = this.open.get(windowStart);
    if (!agg) {
      agg = this.create();
      this.open.set(windowStart, agg);
    }
    return agg;
  }
  /** take returns the window's aggregate (an empty one if it saw no event) and forgets it */
  take(windowStart: number): A {
    const agg = this.open.get(windowStart) ?? this.create();
    this.open.delete(windowStart);
    return agg;
  }
}

/**
 * SeriesIndex remembers the label sets of up to `max` series (first come), so a series that goes
 * quiet still reports zero instead of vanishing.
 */
export class SeriesIndex {
  private readonly series = new Map<string, Record<string, string>>();
  constructor(private readonly max: number) {}
  add(key: string, labels: Record<string, string>): void {
    if (this.series.size < this.max && !this.series.has(key)) this.series.set(key, labels);
  }
  entries(): IterableIterator<[string, Record<string, string>]> {
    return this.series.entries();
  }
}

/** BoundedMap is a map that evicts its oldest entries past `max` (insertion order), for join lookups. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  get(key: K): V | undefined {
    return this.map.get(key);
  }
}

/**
 * TwoGenerationMap remembers about the last `max` keys: when the young map holds max/2 it becomes
 * the old one and the previous old one is dropped. O(1) per operation, unlike evicting one oldest
 * entry per insert (BoundedMap), which gets slow on a large Map full of deleted slots; the price
 * is that it remembers between max/2 and max keys, not exactly the last max.
 */
export class TwoGenerationMap<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  constructor(private readonly max: number) {}
  set(key: string, value: V): void {
    if (this.young.size >= Math.max(1, this.max / 2)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
  get(key: string): V | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }
}
