import type { ServingEvent } from '../events/contract';
import { contractServing } from '../events/decode';
import { Reservoir } from '../util/reservoir';

export interface CapturedWindow {
  start: number;
  end: number;
  /** serving events seen in the window (the sample is uniform over them, per model version) */
  seen: number;
  model_versions: Record<string, number>;
  events: ServingEvent[];
}

export interface ServingSamplerOptions {
  /** events kept per capture window and per model version */
  sampleSize: number;
  windowMs: number;
  /** the capture windows kept (the most recent ones) */
  windows: number;
  /**
   * retentionMs keeps windows this far back (beyond `windows`), so a reference can be taken at the
   * same time of day one day earlier; memory grows with it (retention / window × versions × sampleSize).
   */
  retentionMs?: number;
  /** the most events one issue stores per sample (failing or reference); default 4 × sampleSize */
  maxIssueEvents?: number;
}

interface Slot {
  start: number;
  end: number;
  model_versions: Record<string, number>;
  byVersion: Map<string, Reservoir<ServingEvent>>;
}

/**
 * ServingSampler keeps, for each capture window, a bounded uniform sample (reservoir) of `serving`
 * events per model version: a canary that serves 2% of traffic still has its own sample when it is
 * the version at fault. Memory is bounded by kept windows × versions × sampleSize events.
 */
export class ServingSampler {
  private readonly ring = new Map<number, Slot>();
  private readonly keep: number;
  private readonly maxIssueEvents: number;

  constructor(private readonly o: ServingSamplerOptions) {
    this.keep = Math.max(o.windows, Math.ceil((o.retentionMs ?? 0) / o.windowMs) + 1);
    this.maxIssueEvents = o.maxIssueEvents ?? o.sampleSize * 4;
  }

  /** fromConfig builds the sampler from the `capture` block of recsysops.yaml. */
  static fromConfig(c: { sample_size: number; window: number; windows: number; retention?: number; max_issue_events?: number }): ServingSampler {
    return new ServingSampler({ sampleSize: c.sample_size, windowMs: c.window, windows: c.windows, retentionMs: c.retention, maxIssueEvents: c.max_issue_events });
  }

  add(e: ServingEvent): void {
    if (this.o.sampleSize === 0) return;
    const start = Math.floor(e.ts / this.o.windowMs) * this.o.windowMs;
    let w = this.ring.get(start);
    if (!w) {
      w = { start, end: start + this.o.windowMs, model_versions: {}, byVersion: new Map() };
      this.ring.set(start, w);
      this.evict();
    }
    w.model_versions[e.model_version] = (w.model_versions[e.model_version] ?? 0) + 1;
    let r = w.byVersion.get(e.model_version);
    // Seeded by window start and version, so a replay of the same events samples the same ones.
    if (!r) w.byVersion.set(e.model_version, (r = new Reservoir<ServingEvent>(this.o.sampleSize, seedOf(start, e.model_version))));
    r.offer(e);
  }

  /** between merges the captured windows overlapping [from, to), at most maxIssueEvents events. */
  between(from: number, to: number): CapturedWindow | undefined {
    const hits = [...this.ring.values()].filter((w) => w.end > from && w.start < to && w.byVersion.size).sort((a, b) => a.start - b.start);
    if (!hits.length) return undefined;
    const merged: CapturedWindow = { start: hits[0].start, end: hits[hits.length - 1].end, seen: 0, model_versions: {}, events: [] };
    const pools = new Map<string, ServingEvent[]>();
    for (const w of hits) {
      for (const [v, n] of Object.entries(w.model_versions)) merged.model_versions[v] = (merged.model_versions[v] ?? 0) + n;
      for (const [v, r] of w.byVersion) {
        merged.seen += r.seen;
        pools.set(v, [...(pools.get(v) ?? []), ...r.items]);
      }
    }
    // trimmed to the contract: they leave the process (an issue's inputs, replayed against the model)
    merged.events = allocate(pools, merged.model_versions, this.maxIssueEvents).map(contractServing);
    return merged;
  }

  /**
   * referenceBefore picks a healthy window to compare with: the window at the same time of day one
   * day earlier when it is still kept (see retentionMs), else the newest window that ended at least
   * `marginMs` before `t`.
   */
  referenceBefore(t: number, marginMs: number): CapturedWindow | undefined {
    const dayAgo = this.between(t - 86_400_000 - this.o.windowMs, t - 86_400_000);
    if (dayAgo) return dayAgo;
    const newest = [...this.ring.values()].filter((w) => w.end <= t - marginMs && w.byVersion.size).sort((a, b) => b.start - a.start)[0];
    return newest ? this.between(newest.start, newest.end) : undefined;
  }

  private evict(): void {
    while (this.ring.size > this.keep) {
      const oldest = Math.min(...this.ring.keys());
      this.ring.delete(oldest);
    }
  }
}

/**
 * allocate takes at most `max` events over the versions' samples: each version gets a share of the
 * budget proportional to its traffic, but at least min(its sample, max / (2 × versions)), so a
 * small canary is not sampled away. Within a version the events are already a uniform sample.
 */
export function allocate(pools: Map<string, ServingEvent[]>, traffic: Record<string, number>, max: number): ServingEvent[] {
  const versions = [...pools.keys()].sort();
  const total = versions.reduce((n, v) => n + (traffic[v] ?? 0), 0) || 1;
  const floor = Math.floor(max / (2 * Math.max(1, versions.length)));
  const want = new Map(versions.map((v) => [v, Math.min(pools.get(v)!.length, Math.max(floor, Math.round((max * (traffic[v] ?? 0)) / total)))]));
  let sum = [...want.values()].reduce((a, b) => a + b, 0);
  // Trim the largest shares until the budget holds; then top up from versions with spare events.
  while (sum > max) {
    const v = versions.reduce((a, b) => (want.get(b)! > want.get(a)! ? b : a));
    want.set(v, want.get(v)! - 1);
    sum--;
  }
  for (const v of versions) {
    const extra = Math.min(max - sum, pools.get(v)!.length - want.get(v)!);
    if (extra > 0) {
      want.set(v, want.get(v)! + extra);
      sum += extra;
    }
  }
  const out: ServingEvent[] = [];
  for (const v of versions) out.push(...pools.get(v)!.slice(0, want.get(v)!));
  return out.sort((a, b) => a.ts - b.ts);
}

function seedOf(start: number, version: string): number {
  let h = (start / 1000) ^ 0x2545f491;
  for (let i = 0; i < version.length; i++) h = Math.imul(h ^ version.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}
