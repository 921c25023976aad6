import type { ServingEvent } from '../events/contract';
import { Reservoir } from '../util/reservoir';

export interface CapturedWindow {
  start: number;
  end: number;
  /** serving events seen in the window (the sample is uniform over them) */
  seen: number;
  model_versions: Record<string, number>;
  events: ServingEvent[];
}

/**
 * ServingSampler keeps, for each of the last `windows` capture windows, a bounded uniform sample
 * (reservoir) of `serving` events: the model inputs an issue stores so diagnosis can replay them.
 * Memory is bounded by windows × sampleSize events, whatever the stream's rate.
 */
export class ServingSampler {
  private readonly ring = new Map<number, { start: number; end: number; model_versions: Record<string, number>; sample: Reservoir<ServingEvent> }>();

  constructor(private readonly o: { sampleSize: number; windowMs: number; windows: number }) {}

  add(e: ServingEvent): void {
    if (this.o.sampleSize === 0) return;
    const start = Math.floor(e.ts / this.o.windowMs) * this.o.windowMs;
    let w = this.ring.get(start);
    if (!w) {
      w = { start, end: start + this.o.windowMs, model_versions: {}, sample: new Reservoir<ServingEvent>(this.o.sampleSize) };
      this.ring.set(start, w);
      this.evict();
    }
    w.model_versions[e.model_version] = (w.model_versions[e.model_version] ?? 0) + 1;
    w.sample.offer(e);
  }

  /** windows: the kept windows with samples, newest first. */
  private windows(): CapturedWindow[] {
    return [...this.ring.values()]
      .filter((w) => w.sample.items.length)
      .map((w) => ({ start: w.start, end: w.end, seen: w.sample.seen, model_versions: w.model_versions, events: [...w.sample.items] }))
      .sort((a, b) => b.start - a.start);
  }

  /** between merges the captured windows overlapping [from, to), newest first, up to sampleSize events. */
  between(from: number, to: number): CapturedWindow | undefined {
    const hits = this.windows().filter((w) => w.end > from && w.start < to);
    if (!hits.length) return undefined;
    const merged: CapturedWindow = { start: hits[hits.length - 1].start, end: hits[0].end, seen: 0, model_versions: {}, events: [] };
    for (const w of hits) {
      merged.seen += w.seen;
      for (const [v, n] of Object.entries(w.model_versions)) merged.model_versions[v] = (merged.model_versions[v] ?? 0) + n;
      merged.events.push(...w.events.slice(0, this.o.sampleSize - merged.events.length));
    }
    return merged;
  }

  /**
   * referenceBefore picks a healthy window to compare with: the window at the same time of day one
   * day earlier if kept, else the newest captured window that ended before `t` minus a margin.
   */
  referenceBefore(t: number, marginMs: number): CapturedWindow | undefined {
    const dayAgo = this.between(t - 86_400_000 - this.o.windowMs, t - 86_400_000);
    if (dayAgo) return dayAgo;
    return this.windows().find((w) => w.end <= t - marginMs);
  }

  private evict(): void {
    while (this.ring.size > this.o.windows) {
      const oldest = Math.min(...this.ring.keys());
      this.ring.delete(oldest);
    }
  }
}
