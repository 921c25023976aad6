import { z } from 'zod';
import { commonCheckFields, labelsKey, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
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
  /** join (request | user_item), join_capacity, join_window: how an engagement finds its impression, with `by` */
  ...joinFields,
});
export type EngagementRateDefinition = z.infer<typeof schema> & CheckDefinition;

interface Counts {
  labels: Record<string, string>;
  impressions: number;
  engagements: number;
}

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
    const joined = new ImpressionJoin<Record<string, string>>({ mode: def.join, capacity: def.join_capacity, windowMs: def.join_window, perItem: false });
    const windows = new WindowedState(() => new Map<string, Counts>());
    const bump = (ws: number, labels: Record<string, string>, field: 'impressions' | 'engagements') => {
      const agg = windows.at(ws);
      const key = labelsKey(labels);
      let c = agg.get(key);
      if (!c) agg.set(key, (c = { labels, impressions: 0, engagements: 0 }));
      c[field]++;
    };
    return {
      mode: 'streaming',
      eventTypes: ['impression', 'engagement'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type === 'impression') {
          const labels: Record<string, string> = {};
          for (const l of def.by) labels[l] = e[l] ?? 'none';
          if (def.by.length) joined.remember(e, labels);
          bump(ws, labels, 'impressions');
        } else if (e.type === 'engagement') {
          if (actions.size && !actions.has(e.action)) return;
          if (!def.by.length) return bump(ws, {}, 'engagements');
          const labels = joined.find(e);
          if (labels) bump(ws, labels, 'engagements');
        }
      },
      close(ws) {
        const out: Observation[] = [];
        for (const c of windows.take(ws).values()) {
          if (c.impressions < def.min_impressions || c.impressions === 0) continue;
          out.push({
            labels: c.labels,
            value: c.engagements / c.impressions,
            details: { impressions: c.impressions, engagements: c.engagements },
          });
        }
        return out;
      },
    };
  },
};
