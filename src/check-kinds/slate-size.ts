import { z } from 'zod';
import { BoundedCounter } from './bounded-counter';
import type { ImpressionEvent, ServingEvent } from '../events/contract';
import { eventLabelSets } from '../util/label-sets';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { pct } from './shown-items';
import { WindowedState } from './windowed';

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
  /** the request's series (a LabelSets id of its `by` labels) */
  series: number;
  /** where the request came from: a LabelSets id of its surface and model version, for the evidence */
  segment: number;
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
    const sets = eventLabelSets(def.by, def.max_series);
    const segments = eventLabelSets(LABELS, 10_000);
    // per window: request → its slate (the impressions source counts a request's impressions)
    const windows = new WindowedState(() => ({ slates: new Map<string, Slate>(), dropped: 0 }));
    const count = (ws: number, requestId: string, e: ImpressionEvent | ServingEvent, size: number) => {
      const w = windows.at(ws);
      const slate = w.slates.get(requestId);
      if (slate) return void (slate.size += size);
      if (w.slates.size >= def.max_requests) return void w.dropped++;
      w.slates.set(requestId, { series: sets.idOf(e), segment: segments.idOf(e), size });
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
        const series = new Map<number, { requests: number; short: number; sizes: number; segments: BoundedCounter }>();
        for (const slate of w.slates.values()) {
          let s = series.get(slate.series);
          if (!s) series.set(slate.series, (s = { requests: 0, short: 0, sizes: 0, segments: new BoundedCounter(1_000) }));
          s.requests++;
          s.sizes += slate.size;
          if (slate.size < def.min_size) {
            s.short++;
            const { surface, model_version } = segments.labels(slate.segment);
            s.segments.add(`surface=${surface}`);
            s.segments.add(`model_version=${model_version}`);
          }
        }
        const out: Observation[] = [];
        for (const [id, labels] of sets.entries()) {
          const s = series.get(id);
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
