import { KEY_BLOCK, KeyHash } from './key-hash';

/**
 * RecentTable remembers the most recent keys of a stream (request ids, user+item pairs, event
 * identities) with a few numbers per key, in one typed array: no string and no object is kept per
 * key, so a table of hundreds of thousands of keys costs the garbage collector nothing, and its
 * memory is fixed when it is made (flat on an endless stream).
 *
 * A key is one or more strings (or numbers) hashed into two independent 32-bit hashes, kept as one
 * 53-bit number: a false match needs both to collide (about 10⁻¹⁰ per lookup with 200 000 keys).
 * Keys live in two generations of open-addressing tables of `capacity` keys each: when the young one
 * is full it becomes the old one and the old one is cleared for reuse, so the table always remembers
 * at least the last `capacity` keys and at most 2·capacity, with O(1) work per key and no per-key
 * deletes. A slot's key, time and columns sit side by side: one cache line per lookup. Beside the
 * cells, a byte per slot holds a fingerprint of its key: a probe walks those bytes (a sixteenth of the
 * memory or less) and reads a cell only when its fingerprint matches, so a key that is not there
 * (most look-ups of a look-back, and of the old generation) reads a byte, not a cell; the two
 * generations' bytes of a slot sit side by side, one cache line for both look-ups. A probe walks
 * a block of 16 slots, then jumps to another block (see probe). A key anchored on its first parts
 * (`anchor()`, e.g. on a request id) starts in the block those parts pick: the keys of one request
 * share a block's cache lines and page instead of one random line each.
 *
 *   const t = new RecentTable(100_000, { ts: true, num: true });
 *   const slot = t.key().add(requestId).anchor().add(itemId).insert(); t.setTs(slot, e.ts); t.setNum(slot, e.position);
 *   const hit = t.key().add(requestId).anchor().add(itemId).find(); // a slot, or -1; then t.num(hit)
 */
export interface RecentTableColumns {
  /** the event time per key (for a join window, a look-back, earlyWithinMs) */
  ts?: boolean;
  /** a number per key (a score, a position) */
  num?: boolean;
  /** another number per key (a score beside a position) */
  num2?: boolean;
  /** a number per key for an interned label-set or version id */
  tag?: boolean;
  /**
   * count, when a generation is dropped, the keys in it whose time (needs `ts`) is within this many
   * ms of the newest time noted: keys forgotten early because the table was full (`evictedEarly`)
   */
  earlyWithinMs?: number;
}

/** a generation's table is at most this full: probes stay short, memory stays small */
const MAX_LOAD = 0.8;

export class RecentTable {
  /** keys dropped with their generation while still within earlyWithinMs of the newest time */
  evictedEarly = 0;
  /** after findOrAdd: whether the key was new (given a new slot) */
  added = false;
  /** after a probe that missed: the index of the empty slot it stopped at */
  private probeEnd = 0;

  /** per slot: [key, ts?, num?, num2?, tag?] */
  private readonly cells: Float64Array;
  /**
   * per slot: its key's fingerprint (KeyHash.fingerprint), 0 when the slot is empty; slot i of
   * generation g at 2i + g, so a look-up in both generations reads one cache line of them
   */
  private readonly fingerprints: Uint8Array;
  private readonly stride: number;
  private readonly tsAt: number;
  private readonly numAt: number;
  private readonly num2At: number;
  private readonly tagAt: number;
  /** slots per generation (a power of two, at least capacity / MAX_LOAD) */
  private readonly slots: number;
  private readonly mask: number;
  /** the offset bits of a slot within its probe block */
  private readonly blockMask: number;
  /** which generation is young (0 or 1), and how many keys each holds */
  private young = 0;
  private readonly count = [0, 0];
  private newestTs = -Infinity;
  /** the key being built (key().add()…) */
  private readonly h = new KeyHash();

  constructor(
    private readonly capacity: number,
    private readonly columns: RecentTableColumns = {},
  ) {
    if (!(capacity >= 1)) throw new RangeError(`RecentTable capacity must be ≥ 1, not ${capacity}`);
    let slots = 2;
    while (slots * MAX_LOAD < capacity) slots *= 2;
    this.slots = slots;
    this.mask = slots - 1;
    this.blockMask = Math.min(KEY_BLOCK, slots) - 1;
    if (columns.earlyWithinMs !== undefined && !columns.ts) throw new RangeError('RecentTable: earlyWithinMs needs the ts column');
    let at = 1;
    this.tsAt = columns.ts ? at++ : -1;
    this.numAt = columns.num ? at++ : -1;
    this.num2At = columns.num2 ? at++ : -1;
    this.tagAt = columns.tag ? at++ : -1;
    this.stride = at;
    this.cells = new Float64Array(2 * slots * at);
    this.fingerprints = new Uint8Array(2 * slots);
  }

  /** how many keys are remembered now */
  get size(): number {
    return this.count[0] + this.count[1];
  }

  /** key starts a new key; add its parts, then find() or insert() */
  key(): this {
    this.h.start();
    return this;
  }

  add(part: string | number): this {
    this.h.add(part);
    return this;
  }

  /** anchor: the parts added so far place the key, near every key with the same first parts (KeyHash.anchor) */
  anchor(): this {
    this.h.anchor();
    return this;
  }

  /** find returns the slot of the key built with key().add()…, the young generation first, or -1 */
  find(): number {
    this.h.finish();
    const y = this.probe(this.young);
    return y >= 0 ? y : this.probe(1 - this.young);
  }

  /**
   * findOrAdd returns the slot of the key built with key().add()… when either generation holds it
   * (`added` false), else a new young-generation slot for it (`added` true; its time and columns are
   * 0): find then insert in one probe of each generation, for a look-back that mostly sees new keys.
   */
  findOrAdd(): number {
    this.h.finish();
    const young = this.young;
    const found = this.probe(young);
    if (found >= 0) {
      this.added = false;
      return found;
    }
    const empty = this.probeEnd; // the young generation's free slot for the key, should it be new
    const old = this.probe(1 - young);
    this.added = old < 0;
    return old >= 0 ? old : this.addYoung(empty);
  }

  /**
   * insert returns the young-generation slot of the key (the same slot when the young generation
   * already holds it; a new one otherwise, which shadows an older copy in the old generation). A new
   * slot's time and columns are 0: the caller sets them.
   */
  insert(): number {
    this.h.finish();
    const found = this.probe(this.young);
    return found >= 0 ? found : this.addYoung(this.probeEnd);
  }

  /** addYoung puts the finished key in the young generation at its free slot `empty` (after a rotation: wherever the key's probe starts) */
  private addYoung(empty: number): number {
    if (this.count[this.young] < this.capacity) return this.place(empty);
    this.rotate();
    this.probe(this.young); // the new young generation is empty: it stops at the first slot of the key
    return this.place(this.probeEnd);
  }

  /** place puts the finished key in the young generation's empty slot i (where its probe stopped) */
  private place(i: number): number {
    this.fingerprints[2 * i + this.young] = this.h.fingerprint;
    const slot = (this.young * this.slots + i) * this.stride;
    this.cells[slot] = this.h.stamp;
    this.count[this.young]++;
    return slot;
  }

  ts(slot: number): number {
    return this.cells[slot + this.tsAt];
  }
  setTs(slot: number, v: number): void {
    this.cells[slot + this.tsAt] = v;
  }
  num(slot: number): number {
    return this.cells[slot + this.numAt];
  }
  setNum(slot: number, v: number): void {
    this.cells[slot + this.numAt] = v;
  }
  num2(slot: number): number {
    return this.cells[slot + this.num2At];
  }
  setNum2(slot: number, v: number): void {
    this.cells[slot + this.num2At] = v;
  }
  tag(slot: number): number {
    return this.cells[slot + this.tagAt];
  }
  setTag(slot: number, v: number): void {
    this.cells[slot + this.tagAt] = v;
  }

  /** note tells the table the newest event time (for earlyWithinMs); cheap, call per event */
  note(ts: number): void {
    if (ts > this.newestTs) this.newestTs = ts;
  }

  /**
   * probe: the slot of the finished key in generation gen, or -1 (then probeEnd is the empty index it
   * stopped at). It walks the key's block of 16 slots from the key's index on, cyclically, then jumps
   * to another block (chosen by the key's fingerprint: keys crowding one block spread out over
   * several) and walks that, and so on: anchored keys fill their block without piling up into long
   * runs over their neighbours', as they did with a plain linear probe (requests of 10 keys at a
   * load of 0.75: a miss walked 81 slots on average and up to 1,500; now 16 and up to 180).
   */
  private probe(gen: number): number {
    const fps = this.fingerprints;
    const base = gen * this.slots;
    const fp = this.h.fingerprint;
    const bm = this.blockMask;
    const jump = (2 * fp + 1) * (bm + 1); // an odd number of blocks: the jumps reach every block
    let i = this.h.index & this.mask;
    for (let k = 1; ; k++) {
      const f = fps[2 * i + gen];
      if (f === 0) {
        this.probeEnd = i;
        return -1;
      }
      if (f === fp && this.cells[(base + i) * this.stride] === this.h.stamp) return (base + i) * this.stride;
      i = k & bm ? (i & ~bm) | ((i + 1) & bm) : (i + jump) & this.mask;
    }
  }

  /** rotate drops the old generation and makes the full young one old */
  private rotate(): void {
    const old = 1 - this.young;
    const from = old * this.slots * this.stride;
    const to = from + this.slots * this.stride;
    const within = this.columns.earlyWithinMs;
    if (within !== undefined) {
      for (let s = from; s < to; s += this.stride) if (this.cells[s] !== 0 && this.newestTs - this.cells[s + this.tsAt] <= within) this.evictedEarly++;
    }
    this.cells.fill(0, from, to);
    for (let i = old; i < this.fingerprints.length; i += 2) this.fingerprints[i] = 0;
    this.count[old] = 0;
    this.young = old;
  }
}
