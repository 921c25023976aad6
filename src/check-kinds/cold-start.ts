import { z } from 'zod';
import { durationSchema, formatDuration } from '../config/duration';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind } from './kind';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('cold-start'),
  /** a launched item with no impression after this long is starving */
  grace: durationSchema.default(2 * 3_600_000),
  /** items launched longer ago than this are no longer new */
  max_age: durationSchema.default(7 * 86_400_000),
  /** at most this many new items are tracked at once (oldest launch forgotten first) */
  max_items: z.number().int().positive().default(10_000),
  /** how many item ids an alert lists */
  list_items: z.number().int().positive().default(10),
});
export type ColdStartDefinition = z.infer<typeof schema> & CheckDefinition;

interface NewItem {
  launchTs: number;
  cohort?: string;
  impressions: number;
}

/**
 * cold-start watches items launched recently (from `item` events): its value is how many of them
 * have had no impression `grace` after launch. The alert names them.
 */
export const coldStartKind: CheckKind<ColdStartDefinition> = {
  kind: 'cold-start',
  description: 'new items with no exposure some time after launch',
  mode: 'streaming',
  schema: schema as z.ZodType<ColdStartDefinition>,
  create(def) {
    const items = new Map<string, NewItem>();
    return {
      mode: 'streaming',
      eventTypes: ['item', 'impression'],
      windowMs: def.window,
      add(_ws, e) {
        if (e.type === 'item') {
          const prev = items.get(e.item_id);
          items.set(e.item_id, { launchTs: e.launch_ts, cohort: e.cohort, impressions: prev?.impressions ?? 0 });
          if (items.size > def.max_items) items.delete(items.keys().next().value as string);
        } else if (e.type === 'impression') {
          const item = items.get(e.item_id);
          if (item) item.impressions++;
        }
      },
      close(_ws, we) {
        const starving: Array<{ item_id: string; launched: string; cohort?: string }> = [];
        let watched = 0;
        for (const [id, item] of items) {
          if (item.launchTs < we - def.max_age) {
            items.delete(id);
            continue;
          }
          if (item.launchTs > we) continue; // announced, not launched yet
          watched++;
          if (item.impressions === 0 && item.launchTs + def.grace <= we) {
            starving.push({ item_id: id, launched: new Date(item.launchTs).toISOString(), cohort: item.cohort });
          }
        }
        const named = starving.slice(0, def.list_items).map((s) => s.item_id);
        const more = starving.length > named.length ? ` and ${starving.length - named.length} more` : '';
        return [
          {
            labels: {},
            value: starving.length,
            details: { starving_items: starving.slice(0, def.list_items), new_items_watched: watched },
            summary: starving.length
              ? `${starving.length} new item(s) without any impression ${formatDuration(def.grace)} after launch: ${named.join(', ')}${more}`
              : undefined,
          },
        ];
      },
    };
  },
};
