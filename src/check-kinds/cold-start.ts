import { z } from 'zod';
import { durationSchema, formatDuration } from '../config/duration';
import { LaunchBook } from '../cold-start/launches';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type EvidenceItem, type Observation } from './kind';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('cold-start'),
  /** a launched item with no impression after this long is starving */
  grace: durationSchema.default(2 * 3_600_000),
  /** items launched longer ago than this are no longer new */
  max_age: durationSchema.default(7 * 86_400_000),
  /** at most this many new items are tracked at once (earliest launch forgotten first) */
  max_items: z.number().int().positive().default(10_000),
  /** how many item ids the total's summary lists */
  list_items: z.number().int().positive().default(10),
  /** at most this many starving items get their own alert (the longest-starving first); the rest are counted */
  max_item_alerts: z.number().int().positive().default(20),
});
export type ColdStartDefinition = z.infer<typeof schema> & CheckDefinition;

interface Starving {
  item_id: string;
  launched: string;
  cohort?: string;
  unseen_for_ms: number;
}

/**
 * cold-start watches items launched recently (from `item` events) for ones with no impression
 * `grace` after launch. Each starving item is its own series (label `segment=item=<id>`, value 1,
 * then 0 once it is shown or no longer new), so each opens its own issue and a second starving item
 * pages even while the first is still unresolved. The total count is exported as an informational
 * series (no labels) for dashboards.
 *
 * An item launched before the check saw its first event is judged `grace` after that first event
 * instead: impressions from before the daemon started were never seen, so they cannot be missing.
 */
export const coldStartKind: CheckKind<ColdStartDefinition> = {
  kind: 'cold-start',
  description: 'new items with no exposure some time after launch',
  mode: 'streaming',
  schema: schema as z.ZodType<ColdStartDefinition>,
  create(def) {
    const book = new LaunchBook(def.max_age, def.max_items);
    const impressions = new Map<string, number>();
    let streamStart = Infinity;
    /** the items that had their own series at the last close */
    let reported = new Set<string>();
    return {
      mode: 'streaming',
      eventTypes: ['item', 'impression'],
      windowMs: def.window,
      add(_ws, e) {
        if (e.ts < streamStart) streamStart = e.ts;
        if (e.type === 'item') book.note(e);
        else if (e.type === 'impression' && book.get(e.item_id)) impressions.set(e.item_id, (impressions.get(e.item_id) ?? 0) + 1);
      },
      close(_ws, we) {
        for (const gone of book.forgetBefore(we - def.max_age)) impressions.delete(gone.id);
        const starving: Starving[] = [];
        let watched = 0;
        for (const item of book.values()) {
          if (item.launchTs > we) continue; // announced, not launched yet
          watched++;
          const since = Math.max(item.launchTs, streamStart);
          if (!impressions.get(item.id) && since + def.grace <= we) {
            starving.push({ item_id: item.id, launched: new Date(item.launchTs).toISOString(), cohort: item.cohort || undefined, unseen_for_ms: we - since });
          }
        }
        starving.sort((a, b) => b.unseen_for_ms - a.unseen_for_ms || (a.item_id < b.item_id ? -1 : 1));
        const named = starving.slice(0, def.list_items);
        const more = starving.length > named.length ? ` and ${starving.length - named.length} more` : '';
        const evidenceOf = (s: Starving): EvidenceItem => ({
          name: `item=${s.item_id}`,
          value: 0,
          note: `no impression in ${formatDuration(Math.round(s.unseen_for_ms / 60_000) * 60_000)} since launch${s.cohort ? ` (cohort ${s.cohort})` : ''}`,
        });
        const out: Observation[] = [
          {
            labels: {},
            value: starving.length,
            informational: true,
            details: { starving_items: named, new_items_watched: watched },
            evidence: named.map(evidenceOf),
            summary: starving.length
              ? `${starving.length} new item(s) without any impression ${formatDuration(def.grace)} after launch: ${named.map((s) => s.item_id).join(', ')}${more}`
              : undefined,
          },
        ];
        const alerting = new Set<string>();
        for (const s of starving.slice(0, def.max_item_alerts)) {
          alerting.add(s.item_id);
          out.push({
            labels: { segment: `item=${s.item_id}` },
            value: 1,
            details: { ...s, starving_items_total: starving.length },
            evidence: [evidenceOf(s)],
            summary: `new item ${s.item_id} without any impression ${formatDuration(Math.round(s.unseen_for_ms / 60_000) * 60_000)} after launch${s.cohort ? ` (cohort ${s.cohort})` : ''}${starving.length > 1 ? `; ${starving.length} new items starving in all` : ''}`,
          });
        }
        // An item shown at last (or no longer new) reports 0 once, so its alert resolves and its gauge reads 0.
        for (const id of reported) if (!alerting.has(id)) out.push({ labels: { segment: `item=${id}` }, value: 0 });
        reported = alerting;
        return out;
      },
    };
  },
};
