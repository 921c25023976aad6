import { z } from 'zod';
import { durationSchema } from '../config/duration';
import type { EngagementEvent, ImpressionEvent } from '../events/contract';
import { RecentTable } from '../util/recent-table';

export const JOIN_MODES = ['request', 'user_item'] as const;
export type JoinMode = (typeof JOIN_MODES)[number];

/** joinFields: how a check finds the impression an engagement answers; shared by the kinds that join. */
export const joinFields = {
  /**
   * request: by request_id (exact; engagements without one are not joined).
   * user_item: the latest impression of the same item to the same user at most `join_window` earlier,
   * for streams whose engagements carry no request_id.
   */
  join: z.enum(JOIN_MODES).default('request'),
  /** how many recent impressions (or requests) are remembered for the join, at least (up to twice as many); the oldest are forgotten first */
  join_capacity: z.number().int().positive().default(200_000),
  /**
   * user_item: an engagement later than this after the impression is not credited to it; request
   * (engaged-rank): how long impressions must be remembered for their engagements (see join_sampling)
   */
  join_window: durationSchema.default(30 * 60_000),
};

export interface JoinOptions {
  mode: JoinMode;
  capacity: number;
  windowMs: number;
  /**
   * request mode only: key by (request_id, item_id) instead of request_id alone, when the joined
   * value belongs to the impression (its position) rather than to the request (its surface).
   */
  perItem: boolean;
}

/**
 * ImpressionJoin remembers a label-set id and a number (a position) per recent impression and finds
 * them again for an engagement, by request_id or by user and item within a time window. Bounded and
 * allocation-free: a RecentTable of the last join_capacity (up to twice that) impressions.
 */
export class ImpressionJoin {
  private readonly seen: RecentTable;

  constructor(private readonly o: JoinOptions) {
    this.seen = new RecentTable(o.capacity, { ts: o.mode === 'user_item', tag: true, num: true });
  }

  /** remember the impression with its label-set id `tag` and a number `num` */
  remember(imp: ImpressionEvent, tag: number, num = 0): void {
    const t = this.seen.key();
    if (this.o.mode === 'user_item') t.add(imp.user_id).add(imp.item_id);
    else if (this.o.perItem) t.add(imp.request_id).anchor().add(imp.item_id); // a slate's impressions side by side
    else t.add(imp.request_id);
    const slot = t.insert();
    if (this.o.mode === 'user_item') this.seen.setTs(slot, imp.ts);
    this.seen.setTag(slot, tag);
    this.seen.setNum(slot, num);
  }

  /** find: the slot of the impression the engagement answers (read it with tag/num), or -1 */
  find(eng: EngagementEvent): number {
    const t = this.seen.key();
    if (this.o.mode === 'user_item') {
      const slot = t.add(eng.user_id).add(eng.item_id).find();
      // an engagement logged before the impression, or long after it, answers some other showing
      const lag = slot >= 0 ? eng.ts - this.seen.ts(slot) : -1;
      return lag >= 0 && lag <= this.o.windowMs ? slot : -1;
    }
    if (!eng.request_id) return -1;
    t.add(eng.request_id);
    if (this.o.perItem) t.anchor().add(eng.item_id);
    return t.find();
  }

  tag(slot: number): number {
    return this.seen.tag(slot);
  }

  num(slot: number): number {
    return this.seen.num(slot);
  }
}
