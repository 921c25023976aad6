import type { ItemEvent } from '../events/contract';
import type { Catalog, DemoItem } from './catalog';
import type { FaultTimeline } from './faults';
import { itemFeaturesAtLaunch } from './features';
import { rngFor } from './random';

const HOUR = 3_600_000;
const TAG_LAUNCH = 21;
/** an item is "fresh" (gets reserved candidate slots) for this long after launch */
export const FRESH_MS = 48 * HOUR;
/** the longest an item is announced ahead of its launch */
const MAX_LEAD_MS = 6 * HOUR;
/** a starved item is announced this long ahead (unless that is before the world starts) */
const STARVED_LEAD_MS = 4 * HOUR;

/**
 * Launches: the items released after the world starts. The k-th new item launches at a jittered
 * time in the k-th slot of `everyMs`; some are announced hours ahead (an `item` event with a future
 * `launch_ts`), as a content team would. Starved items come from the fault timeline.
 */
export class Launches {
  constructor(
    private readonly seed: number,
    private readonly startTime: number,
    private readonly everyMs: number,
    private readonly catalog: Catalog,
    private readonly timeline: FaultTimeline,
  ) {}

  launchTs(k: number): number {
    const r = rngFor(this.seed, TAG_LAUNCH, k);
    return Math.round(this.startTime + k * this.everyMs + r() * 0.5 * this.everyMs);
  }

  /** announceTs: when the item event of the k-th new item is emitted (never before the start). */
  announceTs(k: number): number {
    const r = rngFor(this.seed, TAG_LAUNCH, k);
    r(); // the launch jitter
    const announced = r() < 0.4;
    const lead = announced ? Math.round(HOUR + r() * (MAX_LEAD_MS - HOUR)) : 0;
    return Math.max(this.startTime, this.launchTs(k) - lead);
  }

  item(k: number): DemoItem {
    return this.catalog.launchedItem(`item-new-${k}`, this.launchTs(k), 'new');
  }

  /** launchedCount: how many new items have launched at or before t (they launch in k order). */
  launchedCount(t: number): number {
    if (t < this.startTime) return 0;
    let k = Math.floor((t - this.startTime) / this.everyMs);
    while (k >= 0 && this.launchTs(k) > t) k--;
    return k + 1;
  }

  /** freshAt: new items launched within FRESH_MS before t, plus the starved items of active faults. */
  freshAt(t: number): DemoItem[] {
    const out: DemoItem[] = [];
    const n = this.launchedCount(t);
    for (let k = n - 1; k >= 0 && t - this.launchTs(k) < FRESH_MS; k--) out.push(this.item(k));
    for (const f of this.timeline.occurrences(t, t + 1, 'starved-item')) {
      if (f.startsAt <= t && t < f.endsAt && f.itemId) out.push(this.catalog.launchedItem(f.itemId, f.startsAt, 'starved'));
    }
    return out;
  }

  /** itemEvents: the item events of new and starved items with ts in [from, to). */
  itemEvents(from: number, to: number): ItemEvent[] {
    const out: ItemEvent[] = [];
    const first = Math.max(0, Math.floor((from - this.startTime) / this.everyMs) - 1);
    const last = Math.floor((to + MAX_LEAD_MS - this.startTime) / this.everyMs) + 1;
    for (let k = first; k <= last; k++) {
      const ts = this.announceTs(k);
      if (ts >= from && ts < to) out.push(itemEvent(this.item(k), ts));
    }
    for (const f of this.timeline.occurrences(from, to + STARVED_LEAD_MS, 'starved-item')) {
      const ts = f.startsAt - STARVED_LEAD_MS >= this.startTime ? f.startsAt - STARVED_LEAD_MS : f.startsAt;
      if (f.itemId && ts >= from && ts < to) {
        out.push(itemEvent(this.catalog.launchedItem(f.itemId, f.startsAt, 'starved'), ts));
      }
    }
    return out;
  }
}

/** itemEvent: the catalogue record of an item (cohort = genre; the model's item features at launch). */
export function itemEvent(item: DemoItem, ts: number): ItemEvent {
  return {
    type: 'item',
    ts,
    item_id: item.id,
    launch_ts: item.launchTs,
    cohort: item.genre,
    attributes: { genre: item.genre, features: itemFeaturesAtLaunch(item) },
  };
}
