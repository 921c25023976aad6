import { z } from 'zod';
import { commonCheckFields, labelsKey, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { BoundedMap, WindowedState } from './windowed';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('engagement-rate'),
  /** count only these engagement actions (all when empty) */
  actions: z.array(z.string()).default([]),
  /** split by impression labels; engagements are joined to them by request_id */
  by: z.array(z.enum(['surface', 'model_version'])).default([]),
  /** windows with fewer impressions (per series) are not judged: too noisy */
  min_impressions: z.number().int().nonnegative().default(200),
  /** how many recent request ids are remembered for the join */
  join_capacity: z.number().int().positive().default(200_000),
});
export type EngagementRateDefinition = z.infer<typeof schema> & CheckDefinition;

interface Counts {
  labels: Record<string, string>;
  impressions: number;
  engagements: number;
}

/**
 * engagement-rate is engagements ÷ impressions per window. With `by`, an engagement is credited to
 * the series of the impression with the same request_id (a bounded join: the most recent requests).
 */
export const engagementRateKind: CheckKind<EngagementRateDefinition> = {
  kind: 'engagement-rate',
  description: 'engagements per impression per window, optionally per surface or model version',
  mode: 'streaming',
  schema: schema as z.ZodType<EngagementRateDefinition>,
  create(def) {
    const actions = new Set(def.actions);
    const requestLabels = new BoundedMap<string, Record<string, string>>(def.join_capacity);
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
          if (def.by.length) requestLabels.set(e.request_id, labels);
          bump(ws, labels, 'impressions');
        } else if (e.type === 'engagement') {
          if (actions.size && !actions.has(e.action)) return;
          if (!def.by.length) return bump(ws, {}, 'engagements');
          const labels = e.request_id ? requestLabels.get(e.request_id) : undefined;
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
