/** fnv1a: the 32-bit FNV-1a hash of the string's UTF-16 code units, from the given offset basis. */
export function fnv1a(s: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** 30-bit hashes are small integers for V8: a Map keyed by them is several times faster than by doubles */
const MASK = 0x3fffffff;
const BASIS_KEY = 0x811c9dc5;
const BASIS_CHECK = 0x050c5d1f;

/**
 * RecentKeys remembers the keys seen in the last `lookbackMs` of event time, at most `maxKeys` of
 * them: a bounded look-back set, never a map growing with the stream. Each key is kept as two
 * 30-bit hashes (FNV-1a from two offset bases): one keys a Map, the other confirms a match, so a
 * false "seen" needs a 60-bit collision (about 10⁻¹³ per lookup with 200 000 keys). A queue in
 * arrival order (roughly event time) says which key to forget next, so forgetting is O(1).
 */
export class RecentKeys {
  private readonly keys = new Map<number, number>();
  private queueKeys: number[] = [];
  private queueTs: number[] = [];
  private head = 0;
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
  seen(key: string, ts: number): boolean {
    const slot = fnv1a(key, BASIS_KEY) & MASK;
    const check = fnv1a(key, BASIS_CHECK) & MASK;
    this.expire(ts);
    if (this.keys.get(slot) === check) return true;
    // a new key (or, rarely, another key on the same slot, which it replaces)
    this.keys.set(slot, check);
    this.queueKeys.push(slot);
    this.queueTs.push(ts);
    if (this.keys.size > this.maxKeys) this.forgetOldest(ts);
    return false;
  }

  /** expire forgets the keys first seen more than the look-back before `now`. */
  private expire(now: number): void {
    while (this.head < this.queueKeys.length && now - this.queueTs[this.head] > this.lookbackMs) this.keys.delete(this.queueKeys[this.head++]);
    this.compact();
  }

  private forgetOldest(now: number): void {
    while (this.keys.size > this.maxKeys && this.head < this.queueKeys.length) {
      const at = this.queueTs[this.head];
      if (this.keys.delete(this.queueKeys[this.head++]) && now - at <= this.lookbackMs) this.evictedEarly++;
    }
    this.compact();
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.queueKeys.length) {
      this.queueKeys = this.queueKeys.slice(this.head);
      this.queueTs = this.queueTs.slice(this.head);
      this.head = 0;
    }
  }
}
