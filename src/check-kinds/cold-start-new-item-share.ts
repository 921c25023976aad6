import { z } from 'zod';
import { durationSchema, formatDuration } from '../config/duration';
import { LaunchBook } from '../cold-start/launches';
import { WindowedState } from './windowed';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind } from './kind';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('new-item-share'),
  /** items launched within this long count as new */
  max_age: durationSchema.default(7 * 86_400_000),
  /** at most this many new items are remembered (earliest launch forgotten first) */
  max_items: z.number().int().positive().default(10_000),
  /** windows with fewer impressions are too noisy to judge (no observation) */
  min_impressions: z.number().int().min(1).default(200),
});
export type NewItemShareDefinition = z.infer<typeof schema> & CheckDefinition;

interface Counts {
  all: number;
  fresh: number;
}

/**
 * new-item-share: the share of impressions that went to items launched within `max_age`, per
 * window. New items reach users through a cold-start path (exploration slots, boosts); when that
 * path breaks the share collapses, whichever item it is.
 */
export const newItemShareKind: CheckKind<NewItemShareDefinition> = {
  kind: 'new-item-share',
  description: 'share of impressions going to recently launched items',
  mode: 'streaming',
  schema: schema as z.ZodType<NewItemShareDefinition>,
  create(def) {
    const book = new LaunchBook(def.max_age, def.max_items);
    const windows = new WindowedState<Counts>(() => ({ all: 0, fresh: 0 }));
    return {
      mode: 'streaming',
      eventTypes: ['item', 'impression'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type === 'item') book.note(e);
        else if (e.type === 'impression') {
          const c = windows.at(ws);
          c.all++;
          if (book.isNewAt(e.item_id, e.ts)) c.fresh++;
        }
      },
      close(ws, we) {
        const c = windows.take(ws);
        book.forgetBefore(we - def.max_age);
        if (c.all < def.min_impressions) return [];
        const share = c.fresh / c.all;
        return [
          {
            labels: {},
            value: share,
            details: { impressions: c.all, new_item_impressions: c.fresh, new_items_known: book.size, max_age: formatDuration(def.max_age) },
            summary: `${(share * 100).toFixed(1)}% of impressions went to items launched within ${formatDuration(def.max_age)} (${c.fresh} of ${c.all})`,
          },
        ];
      },
    };
  },
};
