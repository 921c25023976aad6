import type { ItemEvent } from '../events/contract';

/** NewItem: what the cold-start checks know of one item from its `item` event. */
export interface NewItem {
  id: string;
  launchTs: number;
  /** the comparable launches it belongs to; '' when the stream gives no cohort */
  cohort: string;
  /** the event time of its first `item` event (an announcement when before launchTs) */
  firstSeen: number;
  attributes?: Record<string, unknown>;
}

/**
 * LaunchBook keeps the items launched (or announced) within `maxAgeMs`, at most `maxItems` of
 * them: when full, the earliest launch is forgotten first. A catalogue dump of old items (launch
 * older than maxAgeMs at its event time) is never stored, so it cannot push new items out.
 */
export class LaunchBook {
  private readonly items = new Map<string, NewItem>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxItems: number,
  ) {}

  /** note records an item event; returns the item when it is new (stored), undefined otherwise. */
  note(e: ItemEvent): NewItem | undefined {
    if (e.launch_ts < e.ts - this.maxAgeMs) return undefined;
    const prev = this.items.get(e.item_id);
    const item: NewItem = { id: e.item_id, launchTs: e.launch_ts, cohort: e.cohort ?? '', firstSeen: prev?.firstSeen ?? e.ts, attributes: e.attributes };
    this.items.set(e.item_id, item);
    if (this.items.size > this.maxItems) this.items.delete(this.earliest());
    return item;
  }

  get(id: string): NewItem | undefined {
    return this.items.get(id);
  }

  /** isNewAt: launched at or before t and less than maxAgeMs before it. */
  isNewAt(id: string, t: number): boolean {
    const it = this.items.get(id);
    return it !== undefined && it.launchTs <= t && t - it.launchTs < this.maxAgeMs;
  }

  /** forgetBefore drops the items launched before t (too old to be new); returns them. */
  forgetBefore(t: number): NewItem[] {
    const gone: NewItem[] = [];
    for (const [id, it] of this.items) {
      if (it.launchTs < t) {
        this.items.delete(id);
        gone.push(it);
      }
    }
    return gone;
  }

  values(): IterableIterator<NewItem> {
    return this.items.values();
  }

  get size(): number {
    return this.items.size;
  }

  private earliest(): string {
    let best: NewItem | undefined;
    for (const it of this.items.values()) if (!best || it.launchTs < best.launchTs) best = it;
    return best!.id;
  }
}
