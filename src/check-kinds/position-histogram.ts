/**
 * PositionHistogram counts slate positions (0 = top) in a fixed number of buckets: positions at or
 * beyond `maxPosition` share the last one, so memory is bounded and the statistics exact below it.
 */
export class PositionHistogram {
  private readonly counts: number[];
  n = 0;
  private sum = 0;

  constructor(private readonly maxPosition: number) {
    this.counts = new Array(maxPosition + 1).fill(0);
  }

  add(position: number): void {
    const p = Math.min(this.maxPosition, Math.max(0, Math.floor(position)));
    this.counts[p]++;
    this.sum += p;
    this.n++;
  }

  mean(): number {
    return this.n ? this.sum / this.n : NaN;
  }

  /** quantile: the smallest position p with at least q of the counts at or above the top through p */
  quantile(q: number): number {
    if (!this.n) return NaN;
    const need = q * this.n;
    let cum = 0;
    for (let p = 0; p < this.counts.length; p++) {
      cum += this.counts[p];
      if (cum >= need && cum > 0) return p;
    }
    return this.maxPosition;
  }

  /** shareFrom: the share of counts at position k or lower down the slate (k = 0 is the top) */
  shareFrom(k: number): number {
    if (!this.n) return NaN;
    let below = 0;
    for (let p = Math.max(0, k); p < this.counts.length; p++) below += this.counts[p];
    return below / this.n;
  }
}
