import { z } from 'zod';
import { BoundedCounter } from './bounded-counter';
import { commonCheckFields, labelsKey, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { pct } from './shown-items';
import { SeriesIndex, WindowedState } from './windowed';

const LABELS = ['surface', 'model_version'] as const;

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('slate-size'),
  /**
   * serving: the size of a request's slate is the number of scores the model returned (so an empty
   * slate is seen); impressions: the number of impressions logged per request_id in the window.
   */
  source: z.enum(['serving', 'impressions']).default('serving'),
  /** a slate with fewer items than this is short (1: only empty slates count) */
  min_size: z.number().int().min(1).default(1),
  by: z.array(z.enum(LABELS)).default([]),
  /** windows with fewer requests (per series) are not judged */
  min_requests: z.number().int().nonnegative().default(20),
  max_series: z.number().int().positive().default(50),
  /** impressions source: requests remembered per window; impressions of later requests are not counted */
  max_requests: z.number().int().positive().default(100_000),
  /** how many segments (surface, model version) the evidence lists */
  list_segments: z.number().int().positive().default(5),
});
export type SlateSizeDefinition = z.infer<typeof schema> & CheckDefinition;

interface Slate {
  labels: Record<string, string>;
  segment: Record<string, string>;
  size: number;
}

/**
 * slate-size: the share of requests whose slate is empty or shorter than min_size. A candidate
 * source or filter that broke leaves users with nothing to pick; the evidence names the surfaces and
 * model versions where the short slates were.
 */
export const slateSizeKind: CheckKind<SlateSizeDefinition> = {
  kind: 'slate-size',
  description: 'share of requests with an empty or short slate (from serving scores or impressions per request)',
  mode: 'streaming',
  schema: schema as z.ZodType<SlateSizeDefinition>,
  create(def) {
    const seen = new SeriesIndex(def.max_series);
    // per window: request → its slate (the impressions source counts a request's impressions)
    const windows = new WindowedState(() => ({ slates: new Map<string, Slate>(), dropped: 0 }));
    const describe = (e: { surface?: string; model_version: string }) => {
      const segment: Record<string, string> = { surface: e.surface ?? 'none', model_version: e.model_version };
      const labels: Record<string, string> = {};
      for (const l of def.by) labels[l] = segment[l];
      return { labels, segment };
    };
    const count = (ws: number, requestId: string, e: { surface?: string; model_version: string }, size: number) => {
      const w = windows.at(ws);
      const slate = w.slates.get(requestId);
      if (slate) return void (slate.size += size);
      if (w.slates.size >= def.max_requests) return void w.dropped++;
      const { labels, segment } = describe(e);
      seen.add(labelsKey(labels), labels);
      w.slates.set(requestId, { labels, segment, size });
    };
    return {
      mode: 'streaming',
      eventTypes: [def.source === 'serving' ? 'serving' : 'impression'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type === 'serving' && def.source === 'serving') count(ws, e.request_id, e, e.scores.length);
        else if (e.type === 'impression' && def.source === 'impressions') count(ws, e.request_id, e, 1);
      },
      close(ws) {
        const w = windows.take(ws);
        const series = new Map<string, { requests: number; short: number; sizes: number; segments: BoundedCounter }>();
        for (const slate of w.slates.values()) {
          const key = labelsKey(slate.labels);
          let s = series.get(key);
          if (!s) series.set(key, (s = { requests: 0, short: 0, sizes: 0, segments: new BoundedCounter(1_000) }));
          s.requests++;
          s.sizes += slate.size;
          if (slate.size < def.min_size) {
            s.short++;
            s.segments.add(`surface=${slate.segment.surface}`);
            s.segments.add(`model_version=${slate.segment.model_version}`);
          }
        }
        const out: Observation[] = [];
        for (const [key, labels] of seen.entries()) {
          const s = series.get(key);
          if (!s || s.requests < Math.max(1, def.min_requests)) continue;
          const top = s.segments.top(def.list_segments);
          out.push({
            labels: { measure: `share_below_${def.min_size}`, ...labels },
            value: s.short / s.requests,
            details: {
              requests: s.requests,
              short_slates: s.short,
              mean_size: s.sizes / s.requests,
              short_slates_by_segment: Object.fromEntries(top),
              ...(w.dropped ? { requests_not_counted: w.dropped } : {}),
            },
            evidence: top.map(([segment, n]) => ({ name: segment, value: n, note: `${n} of ${s.short} short slates (${pct(n / s.short)})` })),
          });
        }
        return out;
      },
    };
  },
};
