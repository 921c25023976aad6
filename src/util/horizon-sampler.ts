const FULL = 2 ** 32;
/** at most 1 key in 2^20 is kept: beyond that a table this small measures nothing anyway */
const MAX_LEVEL = 20;
/** the rate of new keys is judged every capacity/16 of them (and at least once per horizon)… */
const STEPS = 16;
/** …over at least 1/256 of the horizon (14 s of a 1-hour look-back) */
const MIN_SPAN = 256;
/** the level falls when a horizon brings at most this share of the capacity */
const LOWER_BELOW = 0.45;
/** the level rises at most this much at once (16 times fewer keys) */
const MAX_RAISE = 4;

/**
 * HorizonSampler lets a bounded table of recent keys (a RecentTable: duplicate-rate's look-back,
 * the shown impressions engagements join) cover its whole time horizon however fast keys come.
 * While `capacity` new keys take at least the horizon to arrive, every key is kept. When they come
 * faster, the table would forget keys before their horizon is over (a duplicate an hour later, an
 * engagement 20 minutes after its slate, missed); instead only keys whose sample hash lies in the
 * lowest 1/2^level of its range are kept, the level chosen so the kept keys of one horizon fit.
 * A key's sample hash is the same every time it comes, and the same for every key of one request
 * when the key is anchored on it (KeyHash.sample), so a kept key's repeat, or the engagement that
 * answers a kept impression, is kept too: a share measured over the kept keys estimates the share
 * over all of them (hash-based sampling, as distinct-count sketches do), with about a quarter of
 * the capacity or more per horizon behind it.
 *
 * The level rises as soon as capacity/16 new keys over 1/256 of the horizon or more show the rate
 * too high, and falls one step when a whole horizon brought at most 45% of the capacity. Two
 * thresholds: `remembers` (put the key in the table) and `judges` (count it). They differ for one
 * horizon after the level fell: the keys newly let in are remembered at once but judged only once
 * the table has held them a whole horizon (their earlier copies were not kept), so the measured
 * share never dips when traffic drops.
 *
 *   if (!sampler.remembers(t.sample())) return; … if (t.added) sampler.kept(ts); … if (sampler.judges(sample)) count
 */
export class HorizonSampler {
  /** keys are kept when the top `level` bits of their sample hash are 0 */
  private level = 0;
  private rememberBelow = FULL;
  private judgeLevel = 0;
  private judgeBelow = FULL;
  /** event time from which judging follows the (lower) remembering level again */
  private judgeFromTs = Infinity;
  /** new keys kept since markTs (event time), for the rate */
  private keptSinceMark = 0;
  private markTs = NaN;
  private newestTs = -Infinity;
  private readonly step: number;

  /**
   * @param capacity the keys the table holds at least (RecentTable's capacity)
   * @param horizonMs how long (event time) a key must be remembered
   * @param enabled false: keep every key (the table then forgets the oldest when full)
   */
  constructor(
    private readonly capacity: number,
    private readonly horizonMs: number,
    private readonly enabled = true,
  ) {
    this.step = Math.max(1, Math.floor(capacity / STEPS));
  }

  /** remembers: should a key with this sample hash be put in (and looked up in) the table */
  remembers(sample: number): boolean {
    return sample < this.rememberBelow;
  }

  /** judges: should a key with this sample hash count (its earlier copies were all kept) */
  judges(sample: number): boolean {
    return sample < this.judgeBelow;
  }

  /** the share of keys judged now: 1, 1/2, 1/4, … */
  get rate(): number {
    return this.judgeBelow / FULL;
  }

  /** kept: a new key went into the table at event time ts (the rate the level follows) */
  kept(ts: number): void {
    if (!this.enabled) return;
    if (ts > this.newestTs) this.newestTs = ts;
    const now = this.newestTs;
    if (this.markTs !== this.markTs) this.markTs = now; // the first key
    if (now >= this.judgeFromTs) this.setJudge(this.level);
    const n = ++this.keptSinceMark;
    const elapsed = now - this.markTs;
    if (n % this.step !== 0 && elapsed < this.horizonMs) return;
    // the rate, cautiously: the count less two standard deviations (Poisson), so a rate just under
    // the line does not raise the level on a chance crowd of keys; over at least 1/256 of the
    // horizon, so a burst (keys of one timestamp, a second's batch) does not pass for a rate,
    // unless half the capacity came in less: then the table is filling, whatever the rate
    const low = n - 2 * Math.sqrt(n);
    const measured = elapsed * MIN_SPAN >= this.horizonMs || 2 * n >= this.capacity;
    const span = Math.max(1, elapsed);
    if (n >= this.step && measured && span * this.capacity < this.horizonMs * low) {
      // at this rate `capacity` keys would not last the horizon: keep 1/2^k as many, enough to fit
      const over = (this.horizonMs * low) / (span * this.capacity);
      this.setLevel(this.level + Math.min(MAX_RAISE, Math.max(1, Math.ceil(Math.log2(over)))));
      if (this.level >= this.judgeLevel) this.setJudge(this.level);
      this.mark(now);
    } else if (elapsed >= this.horizonMs) {
      // at most 45% of the capacity per horizon: twice the keys would still fit (with room for
      // chance: a level raised on a chance crowd of keys comes back down)
      if (this.level > 0 && n * this.horizonMs <= LOWER_BELOW * this.capacity * elapsed) {
        this.setLevel(this.level - 1);
        this.judgeFromTs = now + this.horizonMs;
      }
      this.mark(now);
    }
  }

  private mark(ts: number): void {
    this.markTs = ts;
    this.keptSinceMark = 0;
  }

  private setLevel(level: number): void {
    this.level = Math.min(MAX_LEVEL, level);
    this.rememberBelow = FULL / 2 ** this.level;
  }

  private setJudge(level: number): void {
    this.judgeLevel = level;
    this.judgeBelow = FULL / 2 ** level;
    this.judgeFromTs = Infinity;
  }
}
