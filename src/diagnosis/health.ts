/**
 * Health metrics of one cell of the swap experiment: how far a set of model outputs is from the
 * healthy reference outputs. Pure functions, no I/O.
 */

/** ksDistance: the two-sample Kolmogorov–Smirnov statistic (largest gap between the two empirical CDFs), in [0, 1]. */
export function ksDistance(a: number[], b: number[]): number {
  if (!a.length || !b.length) return a.length === b.length ? 0 : 1;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** averageRanks: ranks 0..n-1, ties sharing their mean rank. */
export function averageRanks(xs: number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const r = new Array<number>(xs.length);
  for (let k = 0; k < order.length; ) {
    let e = k;
    while (e + 1 < order.length && order[e + 1][0] === order[k][0]) e++;
    for (let m = k; m <= e; m++) r[order[m][1]] = (k + e) / 2;
    k = e + 1;
  }
  return r;
}

/** spearman: rank correlation of two score lists over the same candidates; NaN when undefined (constant, < 3). */
export function spearman(a: number[], b: number[]): number {
  if (a.length < 3 || a.length !== b.length) return NaN;
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = a.length;
  const ma = ra.reduce((s, v) => s + v, 0) / n;
  const mb = rb.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da && db ? num / Math.sqrt(da * db) : NaN;
}

/** meanAgreement: the mean per-request rank correlation of two scorings of the same requests, or null. */
export function meanAgreement(a: number[][], b: number[][]): number | null {
  const c = a.map((s, i) => spearman(s, b[i])).filter(Number.isFinite);
  return c.length ? c.reduce((x, y) => x + y, 0) / c.length : null;
}

export interface CellHealth {
  /** KS distance of the cell's score distribution to the reference outputs */
  distance: number;
  /** mean rank correlation with the last known good model on the same inputs (null when it is the good model) */
  agreement: number | null;
  /** the cell's health metric: max(distance, (1 − agreement) / 2), 0 = like the reference, 1 = nothing alike */
  value: number;
}

/** cellHealth scores one cell: its outputs against the reference outputs and, when given, against the good model's ranking of the same inputs. */
export function cellHealth(scores: number[][], referenceOutputs: number[], goodScores?: number[][]): CellHealth {
  const distance = ksDistance(scores.flat(), referenceOutputs);
  const agreement = goodScores ? meanAgreement(scores, goodScores) : null;
  return { distance, agreement, value: Math.max(distance, agreement === null ? 0 : (1 - agreement) / 2) };
}
