import { z } from 'zod';
import { eventLabelSets } from '../util/label-sets';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { ImpressionJoin, joinFields } from './impression-join';
import { WindowedState } from './windowed';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('engagement-rate'),
  /** count only these engagement actions (all when empty) */
  actions: z.array(z.string()).default([]),
  /** split by impression labels; engagements are joined to their impression (see `join`) */
  by: z.array(z.enum(['surface', 'model_version'])).default([]),
  /** windows with fewer impressions (per series) are not judged: too noisy */
  min_impressions: z.number().int().nonnegative().default(200),
  /** at most this many label sets (series) are tracked; past that, the one seen least recently is dropped */
  max_series: z.number().int().positive().default(100),
  /** join (request | user_item), join_capacity, join_window: how an engagement finds its impression, with `by` */
  ...joinFields,
});
export type EngagementRateDefinition = z.infer<typeof schema> & CheckDefinition;

/** per window: impressions and engagements per label-set id */
interface Counts {
  impressions: number[];
  engagements: number[];
}

const bump = (counts: number[], id: number) => {
  counts[id] = (counts[id] || 0) + 1;
};

/**
 * engagement-rate is engagements ÷ impressions per window. With `by`, an engagement is credited to
 * the series of its impression: the one with the same request_id (join: request), or the latest
 * showing of the same item to the same user within join_window (join: user_item). The join is
 * bounded: only the most recent join_capacity requests or impressions are remembered.
 */
export const engagementRateKind: CheckKind<EngagementRateDefinition> = {
  kind: 'engagement-rate',
  description: 'engagements per impression per window, optionally per surface or model version',
  mode: 'streaming',
  schema: schema as z.ZodType<EngagementRateDefinition>,
  create(def) {
    const actions = new Set(def.actions);
    const sets = eventLabelSets(def.by, def.max_series);
    const joined = new ImpressionJoin({ mode: def.join, capacity: def.join_capacity, windowMs: def.join_window, perItem: false });
    const windows = new WindowedState<Counts>(() => ({ impressions: [], engagements: [] }));
    return {
      mode: 'streaming',
      eventTypes: ['impression', 'engagement'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type === 'impression') {
          const id = sets.idOf(e);
          if (def.by.length) joined.remember(e, id);
          bump(windows.at(ws).impressions, id);
        } else if (e.type === 'engagement') {
          if (actions.size && !actions.has(e.action)) return;
          if (!def.by.length) return bump(windows.at(ws).engagements, sets.idOf(e));
          const slot = joined.find(e);
          if (slot >= 0) bump(windows.at(ws).engagements, joined.tag(slot));
        }
      },
      close(ws) {
        const out: Observation[] = [];
        const c = windows.take(ws);
        for (const [id, labels] of sets.entries()) {
          const impressions = c.impressions[id] || 0;
          const engagements = c.engagements[id] || 0;
          if (impressions < def.min_impressions || impressions === 0) continue;
          out.push({ labels: { ...labels }, value: engagements / impressions, details: { impressions, engagements } });
        }
        return out;
      },
    };
  },
};
