import type { EngagementEvent, ImpressionEvent } from '../events/contract';
import { LabelSets } from '../util/label-sets';
import { RecentTable } from '../util/recent-table';

/** impression label sets (surface × model_version) told apart; past that the least recent is replaced */
const MAX_LABEL_SETS = 1000;
/** checks that can keep a flag of their own per impression (a bit each of the mark column) */
const MAX_MARKS = 30;

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
 */
export class ShownImpressions {
  private table?: RecentTable;
  private capacity = 0;
  private marks = 0;
  private readonly labelSets = new LabelSets<ImpressionEvent>(['surface', 'model_version'], MAX_LABEL_SETS, (e, i) => (i === 0 ? e.surface : e.model_version));

  /** want: keep at least this many impressions (asked before the first event) */
  want(capacity: number): this {
    if (this.table) throw new Error('ShownImpressions: want() after the first impression');
    this.capacity = Math.max(this.capacity, capacity);
    return this;
  }

  /** claimMark: a bit of the mark column of the caller's own, for mark()/marked() */
  claimMark(): number {
    if (this.marks >= MAX_MARKS) throw new Error(`ShownImpressions: at most ${MAX_MARKS} checks can flag impressions`);
    return 1 << this.marks++;
  }

  remember(e: ImpressionEvent): void {
    const t = (this.table ??= new RecentTable(Math.max(1, this.capacity), { num: true, num2: true, tag: true, mark: true }));
    const slot = t.key().add(e.request_id).anchor().add(e.item_id).findOrAdd();
    if (!t.added) return; // remembered already (by another check, or shown twice in one request)
    t.setNum(slot, e.position);
    t.setNum2(slot, e.score);
    t.setTag(slot, this.labelSets.idOf(e));
  }

  /** find: the slot of the impression the engagement answers (same request_id and item_id), or -1 */
  find(e: EngagementEvent): number {
    if (!this.table || e.request_id === undefined) return -1;
    return this.table.key().add(e.request_id).anchor().add(e.item_id).find();
  }

  position(slot: number): number {
    return this.table!.num(slot);
  }

  score(slot: number): number {
    return this.table!.num2(slot);
  }

  /** labels: the impression's surface ("none" when it had none) and model_version */
  labels(slot: number): ShownLabels {
    return this.labelSets.labels(this.table!.tag(slot)) as unknown as ShownLabels;
  }

  marked(slot: number, bit: number): boolean {
    return (this.table!.mark(slot) & bit) !== 0;
  }

  mark(slot: number, bit: number): void {
    this.table!.setMark(slot, this.table!.mark(slot) | bit);
  }
}
