/**
 * hashKey is a 53-bit hash of a string (two FNV-1a 32-bit hashes with different offset bases), so a
 * look-back set stores one number per key instead of the key's text. With 200 000 keys the chance of
 * any collision is about n²/2⁵⁴ ≈ 2·10⁻⁶.
 */
export function hashKey(s: string): number {
  return (fnv1a(s, 0x811c9dc5) & 0x1fffff) * 0x1_0000_0000 + fnv1a(s, 0x050c5d1f);
}

/** fnv1a: the 32-bit FNV-1a hash of the string's UTF-16 code units, from the given offset basis. */
export function fnv1a(s: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * RecentKeys remembers the keys seen in the last `lookbackMs` of event time, at most `maxKeys` of
 * them: a bounded look-back set, never a map growing with the stream. Keys arrive roughly in time
 * order, so the oldest are at the front of the insertion-ordered map and are evicted from there.
 */
export class RecentKeys {
  private readonly keys = new Map<number, number>();
  /** keys dropped before their look-back was over because the set was full */
  evictedEarly = 0;

  constructor(
    private readonly lookbackMs: number,
    private readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.keys.size;
  }

  /** seen records the key at event time ts and says whether it was already seen within the look-back. */
  seen(key: number, ts: number): boolean {
    const first = this.keys.get(key);
    if (first !== undefined && ts - first <= this.lookbackMs) return true;
    if (first !== undefined) this.keys.delete(key);
    this.keys.set(key, ts);
    this.expire(ts);
    return false;
  }

  private expire(now: number): void {
    for (const [key, at] of this.keys) {
      if (this.keys.size > this.maxKeys) this.evictedEarly += now - at <= this.lookbackMs ? 1 : 0;
      else if (now - at <= this.lookbackMs) break;
      this.keys.delete(key);
    }
  }
}
