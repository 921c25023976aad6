/** LaunchCurve: one item's impressions and engagements per age bucket since its launch. */
export interface LaunchCurve {
  id: string;
  cohort: string;
  launchTs: number;
  impressions: Uint32Array;
  engagements: Uint32Array;
}

export type CurveMeasure = 'impressions' | 'engagements';

/**
 * CurveBook keeps the exposure curves of recent launches in fixed age buckets (`bucketMs` wide,
 * `buckets` of them: the curve's horizon), at most `maxItems` curves (the earliest launch is
 * forgotten first), so memory is maxItems × buckets × 8 bytes whatever the traffic.
 */
export class CurveBook {
  private readonly curves = new Map<string, LaunchCurve>();

  constructor(
    readonly bucketMs: number,
    readonly buckets: number,
    private readonly maxItems: number,
  ) {}

  /** track starts (or updates the launch time and cohort of) an item's curve. */
  track(id: string, launchTs: number, cohort: string): void {
    const c = this.curves.get(id);
    if (c) {
      c.launchTs = launchTs;
      c.cohort = cohort;
      return;
    }
    this.curves.set(id, { id, cohort, launchTs, impressions: new Uint32Array(this.buckets), engagements: new Uint32Array(this.buckets) });
    if (this.curves.size > this.maxItems) this.forget(this.earliest());
  }

  /** count adds one impression or engagement at event time ts; outside the curve's span it is ignored. */
  count(id: string, ts: number, measure: CurveMeasure): void {
    const c = this.curves.get(id);
    if (!c) return;
    const b = Math.floor((ts - c.launchTs) / this.bucketMs);
    if (b >= 0 && b < this.buckets) c[measure][b]++;
  }

  /** reached: how many whole age buckets the item has lived through at time t (0..buckets). */
  reached(c: LaunchCurve, t: number): number {
    return Math.max(0, Math.min(this.buckets, Math.floor((t - c.launchTs) / this.bucketMs)));
  }

  forgetLaunchedBefore(t: number): void {
    for (const [id, c] of this.curves) if (c.launchTs < t) this.curves.delete(id);
  }

  has(id: string): boolean {
    return this.curves.has(id);
  }

  forget(id: string): void {
    this.curves.delete(id);
  }

  values(): IterableIterator<LaunchCurve> {
    return this.curves.values();
  }

  get size(): number {
    return this.curves.size;
  }

  private earliest(): string {
    let best: LaunchCurve | undefined;
    for (const c of this.curves.values()) if (!best || c.launchTs < best.launchTs) best = c;
    return best!.id;
  }
}

/** cumulative: running totals, so cumulative(a)[b] is the count from launch to the end of bucket b. */
export function cumulative(a: Uint32Array): Float64Array {
  const out = new Float64Array(a.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) out[i] = s += a[i];
  return out;
}
