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
 * deletes. A slot's key, time and columns sit side by side. Slots come in blocks of 16, filled from
 * the first slot on (keys are never deleted one by one, so a block's keys are always its first
 * slots); beside the cells, a byte per slot holds a fingerprint of its key, a block's 16 bytes of
 * each generation side by side (32 bytes, half a cache line). A probe reads a block's bytes four at
 * a time, reads a cell only where its fingerprint matches, and stops at a block with a free slot
 * (a key is never past the first block with room); at a full block it jumps to another. A key
 * anchored on its first parts (`anchor()`, e.g. on a request id) lives in the block those parts pick,
 * and when that is full, jumps where they say too: the keys of one request share a few blocks'
 * cache lines instead of one random line each.
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
/** a block's fingerprints of one generation, in 32-bit words */
const BLOCK_WORDS = KEY_BLOCK / 4;

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
   * per slot: its key's fingerprint (KeyHash.fingerprint), 0 when the slot is empty; block b's 16
   * bytes of generation g at 32b + 16g (both generations of a block in one cache line), read as
   * four 32-bit words by `words`
   */
  private readonly fingerprints: Uint8Array;
  private readonly words: Uint32Array;
  private readonly stride: number;
  private readonly tsAt: number;
  private readonly numAt: number;
  private readonly num2At: number;
  private readonly tagAt: number;
  /** slots per generation (a power of two, at least capacity / MAX_LOAD, at least two blocks) */
  private readonly slots: number;
  /** the block-number bits of a slot index */
  private readonly blockBits: number;
  /** which generation is young (0 or 1), and how many keys each holds */
  private young = 0;
  private readonly count = [0, 0];
  private newestTs = -Infinity;
  /** the key being built (key().add()…), and whether it is still open (not finished) */
  private readonly h = new KeyHash();
  private building = false;

  constructor(
    private readonly capacity: number,
    private readonly columns: RecentTableColumns = {},
  ) {
    if (!(capacity >= 1)) throw new RangeError(`RecentTable capacity must be ≥ 1, not ${capacity}`);
    let slots = 2 * KEY_BLOCK;
    while (slots * MAX_LOAD < capacity) slots *= 2;
    this.slots = slots;
    this.blockBits = (slots - 1) & -KEY_BLOCK;
    if (columns.earlyWithinMs !== undefined && !columns.ts) throw new RangeError('RecentTable: earlyWithinMs needs the ts column');
    let at = 1;
    this.tsAt = columns.ts ? at++ : -1;
    this.numAt = columns.num ? at++ : -1;
    this.num2At = columns.num2 ? at++ : -1;
    this.tagAt = columns.tag ? at++ : -1;
    this.stride = at;
    this.cells = new Float64Array(2 * slots * at);
    this.fingerprints = new Uint8Array(2 * slots);
    this.words = new Uint32Array(this.fingerprints.buffer);
    pretouch(this.cells);
    pretouch(this.words);
  }

  /** how many keys are remembered now */
  get size(): number {
    return this.count[0] + this.count[1];
  }

  /** key starts a new key; add its parts, then find() or insert() */
  key(): this {
    this.h.start();
    this.building = true;
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

  /**
   * sample: the key's sample hash (KeyHash.sample: its anchor's, when anchored), for a HorizonSampler
   * to say whether the key is kept at all before it is looked up
   */
  sample(): number {
    this.finish();
    return this.h.sample;
  }

  /** find returns the slot of the key built with key().add()…, the young generation first, or -1 */
  find(): number {
    this.finish();
    const y = this.probe(this.young);
    return y >= 0 ? y : this.probe(1 - this.young);
  }

  /**
   * findOrAdd returns the slot of the key built with key().add()… when either generation holds it
   * (`added` false), else a new young-generation slot for it (`added` true; its time and columns are
   * 0): find then insert in one probe of each generation, for a look-back that mostly sees new keys.
   */
  findOrAdd(): number {
    this.finish();
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
    this.finish();
    const found = this.probe(this.young);
    return found >= 0 ? found : this.addYoung(this.probeEnd);
  }

  /** finish ends the key being built (once: sample() and a lookup after it share it) */
  private finish(): void {
    if (!this.building) return;
    this.h.finish();
    this.building = false;
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
    this.fingerprints[fingerprintAt(i, this.young)] = this.h.fingerprint;
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
   * probe: the slot of the finished key in generation gen, or -1 (then probeEnd is the free slot it
   * stopped at, where the key goes). It reads the fingerprints of the key's block four at a time
   * (SWAR: which bytes equal the key's, which are 0), compares a cell only where a fingerprint
   * matches, and stops at the block's first free slot; a full block sends it on by a jump the key
   * (or its anchor) picks, an odd number of blocks, so the jumps reach every block and keys
   * crowding one block spread out over several.
   */
  private probe(gen: number): number {
    const words = this.words;
    const cells = this.cells;
    const stride = this.stride;
    const fp = this.h.fingerprint;
    const stamp = this.h.stamp;
    const fps = fp * 0x01010101;
    const base = gen * this.slots;
    const bits = this.blockBits;
    const jump = (2 * this.h.spread + 1) * KEY_BLOCK;
    for (let block = this.h.index & bits; ; block = (block + jump) & bits) {
      // the block's 16 bytes of this generation: words (block·32 + gen·16) / 4 …, four slots each
      const w0 = (block >>> 1) + gen * BLOCK_WORDS;
      for (let q = 0; q < BLOCK_WORDS; q++) {
        const w = words[w0 + q];
        // bytes equal to the fingerprint (some flags above a true one may be false: checked below)
        let match = zeroBytes(w ^ fps);
        while (match !== 0) {
          const low = match & -match;
          const slot = block + q * 4 + byteOf(low);
          match ^= low;
          if (this.fingerprints[fingerprintAt(slot, gen)] === fp && cells[(base + slot) * stride] === stamp) return (base + slot) * stride;
        }
        const free = zeroBytes(w);
        if (free !== 0) {
          this.probeEnd = block + q * 4 + byteOf(free & -free);
          return -1;
        }
      }
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
    // the old generation's bytes of every block: BLOCK_WORDS words at (block·32 + old·16) / 4
    const words = this.words;
    for (let w = old * BLOCK_WORDS; w < words.length; w += 2 * BLOCK_WORDS) for (let j = 0; j < BLOCK_WORDS; j++) words[w + j] = 0;
    this.count[old] = 0;
    this.young = old;
  }
}

/**
 * pretouch writes one element per memory page, so the operating system maps every page of a new
 * table now, when the check starts, instead of at the first key that lands on each: a first touch
 * costs 1–15 µs (measured 66–87 ms for 21 MB on a shared VM), which otherwise falls on the first
 * minutes of traffic, and the process's resident memory is then what it will stay (the JVM's
 * AlwaysPreTouch, for the same reasons)
 */
function pretouch(a: Float64Array | Uint32Array): void {
  const step = 4096 / a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i += step) a[i] = 0;
}

/** fingerprintAt: where slot i's fingerprint byte of generation gen is (see RecentTable.fingerprints) */
function fingerprintAt(i: number, gen: number): number {
  return ((i & -KEY_BLOCK) << 1) + gen * KEY_BLOCK + (i & (KEY_BLOCK - 1));
}

/**
 * zeroBytes: a flag (the byte's top bit) for each zero byte of a 32-bit word; the lowest flag is
 * always right, flags above a zero byte may be false (a borrow), never missing
 */
function zeroBytes(w: number): number {
  return (w - 0x01010101) & ~w & 0x80808080;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** byteOf: which byte of a word (in memory order) the single flag bit `low` is in */
function byteOf(low: number): number {
  const b = (31 - Math.clz32(low)) >>> 3;
  return LITTLE_ENDIAN ? b : 3 - b;
}
