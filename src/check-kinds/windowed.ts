/**
 * WindowedState keeps one aggregate per open event-time window, created on first use and handed
 * over (and forgotten) when the window closes, so a check's memory is bounded by its open windows.
 */
export class WindowedState<A> {
  private readonly open = new Map<number, A>();
  // the last window asked for: consecutive events mostly fall in the same one
  private lastStart = NaN;
  private last: A | undefined;
  constructor(private readonly create: () => A) {}
  at(windowStart: number): A {
    if (windowStart === this.lastStart) return this.last!;
    let agg = this.open.get(windowStart);
    if (!agg) {
      agg = this.create();
      this.open.set(windowStart, agg);
    }
    this.lastStart = windowStart;
    this.last = agg;
    return agg;
  }
  /** take returns the window's aggregate (an empty one if it saw no event) and forgets it */
  take(windowStart: number): A {
    const agg = this.open.get(windowStart) ?? this.create();
    this.open.delete(windowStart);
    if (windowStart === this.lastStart) {
      this.lastStart = NaN;
      this.last = undefined;
    }
    return agg;
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
