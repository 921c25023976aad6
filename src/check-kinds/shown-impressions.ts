import type { EngagementEvent, ImpressionEvent } from '../events/contract';
import { HorizonSampler } from '../util/horizon-sampler';
import { LabelSets } from '../util/label-sets';
import { RecentTable } from '../util/recent-table';

/** impression label sets (surface × model_version) told apart; past that the least recent is replaced */
const MAX_LABEL_SETS = 1000;
/** checks that can keep a flag of their own per impression (a bit each) */
const MAX_MARKS = 8;
/**
 * An impression's position, label-set id and flags share one number of the table: label set in the
 * low 10 bits, flags in the next 8, position above (up to 2^35, exact in a double). A slot is then
 * three numbers (key, packed, score), 24 bytes instead of 40: a request's impressions span 6 cache
 * lines of the table instead of 10, and the table weighs 13 MB instead of 21.
 */
const MARK_UNIT = 2 ** 10;
const POSITION_UNIT = 2 ** 18;
const MAX_POSITION = 2 ** 35 - 1;

export interface ShownLabels {
  surface: string;
  model_version: string;
}

/**
 * ShownImpressions is one table of the recent impressions by (request_id, item_id), with each one's
 * position, score and labels, shared by the checks that find the impression an engagement answers
 * (engaged-rank, score-drift on engaged items): each impression is hashed into one table instead of
 * one per check, and the table is the only one in the CPU's caches. A check `want`s a capacity before
 * the first event (the table keeps at least the largest asked for, up to twice as many), may claim a
 * bit of its own to flag impressions (score-drift's "already engaged"), and `remember`s every
 * impression it takes: the checks sharing it take the same impressions, and a second remember of one
 * finds it already there.
 *
 * A check may also want the impressions kept for a time (engaged-rank's join window). When the
 * capacity cannot hold that long at the stream's rate, a HorizonSampler keeps the impressions of
 * 1 request in 2, 4, … (by a hash of the request id) and `find` answers only engagements of those
 * requests: a sample of the engagements, each still joined, instead of only the quick ones.
 */
export class ShownImpressions {
  private table?: RecentTable;
  private sampler?: HorizonSampler;
  private capacity = 0;
  private horizonMs = 0;
  private sampling = true;
  /** flag bits claimed so far */
  private claimed = 0;
  private readonly labelSets = new LabelSets<ImpressionEvent>(['surface', 'model_version'], MAX_LABEL_SETS, (e, i) => (i === 0 ? e.surface : e.model_version));

  /**
   * want: keep at least this many impressions (asked before the first event), for horizonMs of
   * event time if given (sampling requests when the capacity cannot hold that long; any check that
   * says sampling false keeps every impression instead, the oldest forgotten first)
   */
  want(capacity: number, horizonMs = 0, sampling = true): this {
    if (this.table) throw new Error('ShownImpressions: want() after the first impression');
    this.capacity = Math.max(this.capacity, capacity);
    this.horizonMs = Math.max(this.horizonMs, horizonMs);
    this.sampling &&= sampling;
    return this;
  }

  /** the share of requests whose engagements find their impression now (1 unless sampled) */
  get sampleRate(): number {
    return this.sampler?.rate ?? 1;
  }

  /** claimMark: a flag bit of the caller's own, for mark()/marked() */
  claimMark(): number {
    if (this.claimed >= MAX_MARKS) throw new Error(`ShownImpressions: at most ${MAX_MARKS} checks can flag impressions`);
    return 1 << this.claimed++;
  }

  remember(e: ImpressionEvent): void {
    const t = this.table ?? this.create();
    t.key().add(e.request_id).anchor().add(e.item_id);
    if (!this.sampler!.remembers(t.sample())) return;
    const slot = t.findOrAdd();
    if (!t.added) return; // remembered already (by another check, or shown twice in one request)
    this.sampler!.kept(e.ts);
    t.setNum(slot, Math.min(e.position, MAX_POSITION) * POSITION_UNIT + this.labelSets.idOf(e));
    t.setNum2(slot, e.score);
  }

  /** find: the slot of the impression the engagement answers (same request_id and item_id), or -1 */
  find(e: EngagementEvent): number {
    const t = this.table;
    if (!t || e.request_id === undefined) return -1;
    t.key().add(e.request_id).anchor().add(e.item_id);
    return this.sampler!.judges(t.sample()) ? t.find() : -1;
  }

  private create(): RecentTable {
    const capacity = Math.max(1, this.capacity);
    this.sampler = new HorizonSampler(capacity, this.horizonMs, this.sampling && this.horizonMs > 0);
    return (this.table = new RecentTable(capacity, { num: true, num2: true }));
  }

  position(slot: number): number {
    return Math.floor(this.table!.num(slot) / POSITION_UNIT);
  }

  score(slot: number): number {
    return this.table!.num2(slot);
  }

  /** labels: the impression's surface ("none" when it had none) and model_version */
  labels(slot: number): ShownLabels {
    return this.labelSets.labels(this.table!.num(slot) % MARK_UNIT) as unknown as ShownLabels;
  }

  marked(slot: number, bit: number): boolean {
    return (this.flags(slot) & bit) !== 0;
  }

  mark(slot: number, bit: number): void {
    const t = this.table!;
    if (!(this.flags(slot) & bit)) t.setNum(slot, t.num(slot) + bit * MARK_UNIT);
  }

  /** the flags of the impression in slot */
  private flags(slot: number): number {
    return Math.floor(this.table!.num(slot) / MARK_UNIT) % (POSITION_UNIT / MARK_UNIT);
  }
}
