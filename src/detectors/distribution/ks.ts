import { sortedCopy, type Sorted } from './sorted';

/** KsResult: the two-sample Kolmogorov–Smirnov statistic D = sup |F_a − F_b| and its p-value. */
export interface KsResult {
  statistic: number;
  pValue: number;
}

/**
 * kolmogorovQ is the Kolmogorov distribution's survival function Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²),
 * the asymptotic probability that √n·D exceeds λ under the null hypothesis.
 */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  let previous = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) <= 1e-10 * Math.abs(sum) || Math.abs(term) <= 1e-12 * previous) break;
    previous = Math.abs(term);
  }
  return Math.min(1, Math.max(0, sum));
}

/**
 * ksTwoSample: D over the pooled sorted values (ties advance both samples together) and the
 * asymptotic p-value Q(√(n·m/(n+m))·D) of the Kolmogorov distribution (SciPy: `kstwobign.sf`).
 */
export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  return ksSorted(sortedCopy(a), sortedCopy(b));
}

/** ksSorted: ksTwoSample of two already sorted samples. */
export function ksSorted(x: Sorted, y: Sorted): KsResult {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return { statistic: NaN, pValue: NaN };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i], y[j]);
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const en = Math.sqrt((n * m) / (n + m));
  return { statistic: d, pValue: kolmogorovQ(en * d) };
}
