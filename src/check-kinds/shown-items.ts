import { z } from 'zod';
import type { RecEvent } from '../events/contract';
import { BoundedCounter } from './bounded-counter';
import { eventLabelSets, type LabelSets } from '../util/label-sets';
import { Reservoir } from '../util/reservoir';
import type { EvidenceItem, Observation, StreamingCheck } from './kind';
import { WindowedState } from './windowed';

/**
 * shownItemsFields: the fields of the kinds that count impressions per item (coverage,
 * concentration); each kind picks its own sample size default.
 */
export const shownItemsFields = (defaultSampleSize: number) => ({
  /** one series per value of these impression labels, e.g. [surface] */
  by: z.array(z.enum(['surface', 'model_version'])).default([]),
  /**
   * judge a uniform sample of this many impressions per window and series, so the value compares
   * across quiet and busy hours (fewer impressions show fewer items, less evenly); 0: every impression
   */
  sample_size: z.number().int().nonnegative().default(defaultSampleSize),
  /** sample_size 0: distinct items counted exactly per series and window; beyond it the value is a lower bound (details.capped) */
  max_items: z.number().int().positive().default(100_000),
  /** windows with fewer impressions (per series) are not judged; keep it ≥ sample_size so every judged window has a full sample */
  min_impressions: z.number().int().nonnegative().default(Math.max(200, defaultSampleSize)),
  max_series: z.number().int().positive().default(50),
  /** how many top items the evidence lists */
  list_items: z.number().int().positive().default(5),
});

interface ShownItemsDef {
  window: number;
  list_items: number;
  by: Array<'surface' | 'model_version'>;
  sample_size: number;
  max_items: number;
  min_impressions: number;
  max_series: number;
}

export interface ShownItems {
  labels: Record<string, string>;
  /** impressions per item: of the sample when sample_size > 0, else of every impression */
  items: BoundedCounter;
  /** every impression of the window and series */
  impressions: number;
}

interface Tally {
  sample?: Reservoir<string>;
  items?: BoundedCounter;
  impressions: number;
}

/**
 * ShownItemsWindows counts impressions per item per series and window, bounded by max_items per
 * series and max_series series; `closed` yields the series with at least min_impressions.
 */
export class ShownItemsWindows {
  private readonly sets: LabelSets<RecEvent>;
  private readonly windows: WindowedState<Map<number, Tally>>;

  constructor(private readonly def: ShownItemsDef) {
    this.sets = eventLabelSets(def.by, def.max_series);
    this.windows = new WindowedState(() => new Map());
  }

  add(ws: number, e: RecEvent): void {
    if (e.type !== 'impression') return;
    const id = this.sets.idOf(e);
    const agg = this.windows.at(ws);
    let s = agg.get(id);
    if (!s) {
      const sampled = this.def.sample_size > 0;
      // one seed per window start: a replay samples the same impressions every time
      const sample = sampled ? new Reservoir<string>(this.def.sample_size, (ws / 1000) ^ 0x2545f491) : undefined;
      agg.set(id, (s = { impressions: 0, ...(sampled ? { sample } : { items: new BoundedCounter(this.def.max_items) }) }));
    }
    s.impressions++;
    if (s.sample) s.sample.offer(e.item_id);
    else s.items!.add(e.item_id);
  }

  closed(ws: number): ShownItems[] {
    const agg = this.windows.take(ws);
    const out: ShownItems[] = [];
    for (const [id, labels] of this.sets.entries()) {
      const s = agg.get(id);
      if (!s || s.impressions < Math.max(1, this.def.min_impressions)) continue;
      let items = s.items;
      if (s.sample) {
        items = new BoundedCounter(this.def.sample_size);
        for (const id of s.sample.items) items.add(id);
      }
      out.push({ labels: { ...labels }, items: items!, impressions: s.impressions });
    }
    return out;
  }
}

/** topItemsEvidence: the most shown items with their share of the (sampled) impressions. */
export function topItemsEvidence(items: BoundedCounter, n: number): EvidenceItem[] {
  return items.top(n).map(([item, count]) => ({
    name: `item=${item}`,
    value: count / items.total,
    note: `${pct(count / items.total)} of impressions`,
  }));
}

export function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/**
 * shownItemsCheck: the streaming check of a kind that judges the items shown per window and series
 * (coverage, concentration): `measure` names the value, `value` computes it from the item counts,
 * `details` adds the kind's own figures to the common ones (impressions, sample, top items).
 */
export function shownItemsCheck(
  def: ShownItemsDef,
  measure: string,
  value: (items: BoundedCounter) => number,
  details: (items: BoundedCounter) => Record<string, unknown> = () => ({}),
): StreamingCheck {
  const shown = new ShownItemsWindows(def);
  return {
    mode: 'streaming',
    eventTypes: ['impression'],
    windowMs: def.window,
    add: (ws, e) => shown.add(ws, e),
    close(ws) {
      return shown.closed(ws).map(({ labels, items, impressions }): Observation => {
        const top = items.top(def.list_items);
        return {
          labels: { measure, ...labels },
          value: value(items),
          details: {
            impressions,
            sampled: items.total,
            distinct_items: items.size,
            capped: items.capped,
            top_items: top.map(([item_id, n]) => ({ item_id, share: n / items.total })),
            top_items_share: top.reduce((a, [, c]) => a + c, 0) / items.total,
            ...details(items),
          },
          evidence: topItemsEvidence(items, def.list_items),
        };
      });
    },
  };
}
