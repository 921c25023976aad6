import { quantileSorted } from 'simple-statistics';

/** QuantileBand: what comparable launches had, as a low quantile, the median and a high quantile. */
export interface QuantileBand {
  low: number;
  median: number;
  high: number;
  /** how many launches it was learned from */
  n: number;
}

/** quantileBand of a non-empty sample; `q` is the low quantile (the high one is 1 − q). */
export function quantileBand(values: readonly number[], q: number): QuantileBand {
  return quantileBandSorted([...values].sort((a, b) => a - b), q);
}

/** quantileBandSorted: the same of a sample already sorted ascending. */
export function quantileBandSorted(s: readonly number[], q: number): QuantileBand {
  const a = s as number[];
  return { low: quantileSorted(a, q), median: quantileSorted(a, 0.5), high: quantileSorted(a, 1 - q), n: s.length };
}

/**
 * poissonLowerTail: P(X ≤ k) for X ~ Poisson(lambda), summed in log space so a large lambda does
 * not underflow term by term. It says how surprising a count of k is when about lambda was expected.
 */
export function poissonLowerTail(k: number, lambda: number): number {
  if (lambda <= 0) return 1;
  if (k < 0) return 0;
  let logTerm = -lambda; // log P(X = 0)
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= Math.floor(k); i++) {
    logTerm += Math.log(lambda) - Math.log(i);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}
