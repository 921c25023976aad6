import { z } from 'zod';
import { durationSchema } from '../config/duration';
import type { EngagementEvent, ImpressionEvent } from '../events/contract';
import { BoundedMap } from './windowed';

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
  /** how many recent impressions (or requests) are remembered for the join; the oldest are forgotten first */
  join_capacity: z.number().int().positive().default(200_000),
  /** user_item only: an engagement later than this after the impression is not credited to it */
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

const SEP = '\u0001';

/**
 * ImpressionJoin remembers a value per recent impression (bounded: BoundedMap) and finds it again
 * for an engagement, by request_id or by user and item within a time window.
 */
export class ImpressionJoin<V> {
  private readonly seen: BoundedMap<string, { ts: number; value: V }>;

  constructor(private readonly o: JoinOptions) {
    this.seen = new BoundedMap(o.capacity);
  }

  remember(imp: ImpressionEvent, value: V): void {
    const key = this.o.mode === 'user_item' ? imp.user_id + SEP + imp.item_id : this.o.perItem ? imp.request_id + SEP + imp.item_id : imp.request_id;
    this.seen.set(key, { ts: imp.ts, value });
  }

  find(eng: EngagementEvent): V | undefined {
    if (this.o.mode === 'user_item') {
      const hit = this.seen.get(eng.user_id + SEP + eng.item_id);
      // an engagement logged before the impression, or long after it, answers some other showing
      const lag = hit ? eng.ts - hit.ts : -1;
      return hit && lag >= 0 && lag <= this.o.windowMs ? hit.value : undefined;
    }
    if (!eng.request_id) return undefined;
    return this.seen.get(this.o.perItem ? eng.request_id + SEP + eng.item_id : eng.request_id)?.value;
  }
}
