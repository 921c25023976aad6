import { z } from 'zod';
import { eventLabelSets } from '../util/label-sets';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { BoundedCounter } from './bounded-counter';
import { ImpressionJoin, joinFields } from './impression-join';
import { PositionHistogram } from './position-histogram';
import { WindowedState } from './windowed';
import { ShownImpressions } from './shown-impressions';
import type { EngagementEvent, RecEvent } from '../events/contract';

const schema = z
  .strictObject({
    ...commonCheckFields,
    ...streamingFields,
    kind: z.literal('engaged-rank'),
    /** count only these engagement actions (all when empty) */
    actions: z.array(z.string()).default([]),
    /** one series per value of these impression labels */
    by: z.array(z.enum(['surface', 'model_version'])).default([]),
    /**
     * mean: mean position (0 = top) of engaged impressions; quantile: that quantile of it;
     * share_beyond: the share of engagements on items shown at position `k` or lower.
     */
    statistic: z.enum(['mean', 'quantile', 'share_beyond']).default('mean'),
    quantile: z.number().gt(0).lt(1).default(0.9),
    /** share_beyond counts positions ≥ k; the evidence lists items engaged there */
    k: z.number().int().min(1).default(5),
    /** positions at or beyond this are counted as this one (bounds memory; raise it for long feeds) */
    max_position: z.number().int().min(1).default(1_000),
    /** windows with fewer joined engagements (per series) are not judged: too noisy */
    min_engagements: z.number().int().nonnegative().default(50),
    max_series: z.number().int().positive().default(50),
    /** how many items the evidence lists */
    list_items: z.number().int().positive().default(5),
    ...joinFields,
    /**
     * join by request: auto — when join_capacity impressions do not last join_window, remember the
     * impressions of 1 request in 2, 4, … (by a hash of the request id) for the whole join window
     * and measure the engagements of those requests; off — remember every impression, the oldest
     * forgotten first (late engagements then go unjoined at high volume)
     */
    join_sampling: z.enum(['auto', 'off']).default('auto'),
  })
  .refine((d) => d.k <= d.max_position, { message: 'k must not exceed max_position', path: ['k'] });
export type EngagedRankDefinition = z.infer<typeof schema> & CheckDefinition;

interface SeriesAgg {
  positions: PositionHistogram;
  /** items engaged at position ≥ k: the ones the model ranked low although users wanted them */
  lowItems: BoundedCounter;
}

/** how many distinct low-ranked items are counted per series and window, for the evidence */
const LOW_ITEMS_CAP = 10_000;

/**
 * engaged-rank: at which slate position the items users engaged with had been shown. Users engage
 * with what they want wherever it is; when the model ranks well that is near the top. A model that
 * ranks worse (a bad version, a stale cache, broken features) pushes wanted items down, so the
 * engaged position rises before — or while — the engagement rate falls.
 */
export const engagedRankKind: CheckKind<EngagedRankDefinition> = {
  kind: 'engaged-rank',
  description: 'the slate position of engaged impressions (mean, quantile or share beyond k), optionally per surface or model version',
  mode: 'streaming',
  schema: schema as unknown as z.ZodType<EngagedRankDefinition>,
  create(def, deps) {
    const actions = new Set(def.actions);
    // join by request: the pipeline's shared table of shown impressions; by user and item: a table of its own
    const shared = def.join === 'request' ? (deps.shownImpressions ?? new ShownImpressions()).want(def.join_capacity, def.join_window, def.join_sampling === 'auto') : undefined;
    const sets = eventLabelSets(def.by, def.max_series);
    const own = shared ? undefined : new ImpressionJoin({ mode: def.join, capacity: def.join_capacity, windowMs: def.join_window, perItem: true });
    const windows = new WindowedState(() => new Map<number, SeriesAgg>());
    const measure = def.statistic === 'mean' ? 'mean_position' : def.statistic === 'quantile' ? `p${Math.round(def.quantile * 1000) / 10}_position` : `share_beyond_${def.k}`;
    const take = (ws: number, e: EngagementEvent, id: number, position: number) => {
      const agg = windows.at(ws);
      let s = agg.get(id);
      if (!s) agg.set(id, (s = { positions: new PositionHistogram(def.max_position), lowItems: new BoundedCounter(LOW_ITEMS_CAP) }));
      s.positions.add(position);
      if (position >= def.k) s.lowItems.add(e.item_id);
    };
    return {
      mode: 'streaming',
      eventTypes: ['impression', 'engagement'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type === 'impression') {
          if (shared) shared.remember(e);
          else own!.remember(e, sets.idOf(e), e.position);
        } else if (e.type === 'engagement') {
          if (actions.size && !actions.has(e.action)) return;
          if (shared) {
            const hit = shared.find(e);
            if (hit >= 0) take(ws, e, sets.idOf(shared.labels(hit) as unknown as RecEvent), shared.position(hit));
          } else {
            const hit = own!.find(e);
            if (hit >= 0) take(ws, e, own!.tag(hit), own!.num(hit));
          }
        }
      },
      close(ws) {
        const agg = windows.take(ws);
        const out: Observation[] = [];
        for (const [id, labels] of sets.entries()) {
          const s = agg.get(id);
          if (!s || s.positions.n < Math.max(1, def.min_engagements)) continue;
          const h = s.positions;
          const value = def.statistic === 'mean' ? h.mean() : def.statistic === 'quantile' ? h.quantile(def.quantile) : h.shareFrom(def.k);
          const low = s.lowItems.top(def.list_items);
          out.push({
            labels: { measure, ...labels },
            value,
            details: {
              engagements: h.n,
              ...(shared && shared.sampleRate < 1 ? { sampled_requests: shared.sampleRate } : {}),
              mean_position: round(h.mean()),
              median_position: h.quantile(0.5),
              [`share_beyond_${def.k}`]: round(h.shareFrom(def.k)),
              low_ranked_items: low.map(([item, n]) => ({ item_id: item, engagements: n })),
            },
            evidence: low.map(([item, n]) => ({ name: `item=${item}`, value: n, note: `${n} engagement(s) at position ≥ ${def.k}` })),
          });
        }
        return out;
      },
    };
  },
};

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
