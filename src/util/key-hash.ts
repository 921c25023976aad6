const BASIS_1 = 0x811c9dc5; // FNV-1a
const PRIME_1 = 0x01000193;
const BASIS_2 = 0x050c5d1f;
const PRIME_2 = 0x5bd1e995; // MurmurHash2's multiplier: a second, independent mix
const SEPARATOR = 0xffff; // not a character: "ab"+"c" and "a"+"bc" differ
const TWO_21 = 2 ** 21;
/**
 * a table probes a key's slots a block of this many at a time (RecentTable), and an anchored key
 * starts in the block its anchor picks
 */
export const KEY_BLOCK = 16;

/** murmur3's 32-bit finalizer: every input bit moves every output bit */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * KeyHash hashes a key of one or more parts (strings, or integers such as epoch milliseconds) into
 * two independent 32-bit hashes without building a string, for the typed-array tables of the hot
 * path (RecentTable). After finish(): `index`, well mixed for a power-of-two table, and
 * `stamp`, the key as one non-zero 53-bit number (the second hash and 21 bits of the first), so a
 * false match needs both hashes to collide.
 *
 *   h.start().add(requestId).add(itemId).finish(); slot = h.index & mask; … cells[slot] === h.stamp
 */
export class KeyHash {
  index = 0;
  stamp = 0;
  /** a byte of the second hash, 1..255: a table's fingerprint of the key (0 marks an empty slot) */
  fingerprint = 0;
  /**
   * a byte that picks where a table's probe goes when the key's block is full: the anchor's (so the
   * keys of one request that overflow their block go on together to one other block, not one random
   * block each), else the key's own
   */
  spread = 0;
  /**
   * a 32-bit hash of the anchor (else of the whole key) for sampling keys by (HorizonSampler): the
   * same for every key of one request, independent of the bits that place the key
   */
  sample = 0;
  private a = BASIS_1;
  private b = BASIS_2;
  /** the first hash when anchor() was called, or -1: no anchor */
  private anchorHash = -1;

  start(): this {
    this.a = BASIS_1;
    this.b = BASIS_2;
    this.anchorHash = -1;
    return this;
  }

  /**
   * anchor: the parts added so far (a request id) alone choose where in a table the key lives (its
   * block of 16 slots, and where it goes on when that is full); the rest only tell keys apart: keys
   * of one request land side by side, so the impressions of a slate, its serving call and its
   * engagements share a few cache lines and one page instead of touching one random cache line (and,
   * in a big table, one page walk) each.
   */
  anchor(): this {
    this.anchorHash = this.a >>> 0;
    return this;
  }

  add(part: string | number): this {
    let a = this.a;
    let b = this.b;
    if (typeof part === 'number') {
      // the two 32-bit halves of an integer up to 2^53, as four 16-bit "characters"
      const lo = part >>> 0;
      const hi = Math.floor(part / 4294967296) >>> 0;
      for (let i = 0; i < 4; i++) {
        const c = ((i < 2 ? lo : hi) >>> (i % 2 ? 16 : 0)) & 0xffff;
        a = Math.imul(a ^ c, PRIME_1);
        b = Math.imul(b ^ c, PRIME_2);
      }
    } else {
      for (let i = 0; i < part.length; i++) {
        const c = part.charCodeAt(i);
        a = Math.imul(a ^ c, PRIME_1);
        b = Math.imul(b ^ c, PRIME_2);
      }
    }
    this.a = Math.imul(a ^ SEPARATOR, PRIME_1);
    this.b = Math.imul(b ^ SEPARATOR, PRIME_2);
    return this;
  }

  /** finish mixes the first hash (the anchor's, when anchored) into `index`, `spread` and `sample`, and stamps the key */
  finish(): this {
    const h = mix32(this.a);
    this.stamp = ((this.b | 1) >>> 0) * TWO_21 + (h >>> 11);
    this.fingerprint = this.b >>> 24 || 1; // its top byte; 0 marks an empty slot
    if (this.anchorHash < 0) {
      this.index = h;
      this.spread = this.fingerprint;
      this.sample = mix32(this.a ^ 0x9e3779b9);
    } else {
      this.index = mix32(this.anchorHash);
      this.sample = mix32(this.anchorHash ^ 0x9e3779b9); // independent of the bits placing the block
      this.spread = this.sample & 0xff; // sampling reads the top bits
    }
    return this;
  }
}
