import { sortedCopy, type Sorted } from './sorted';

/**
 * wasserstein1 is the 1-D earth mover's distance between two empirical samples: ∫ |F_a − F_b| dx,
 * in the feature's own unit (how far, on average, mass had to move). Same as SciPy's
 * `wasserstein_distance(a, b)`.
 */
export function wasserstein1(a: readonly number[], b: readonly number[]): number {
  return wassersteinSorted(sortedCopy(a), sortedCopy(b));
}

/** wassersteinSorted: wasserstein1 of two already sorted samples. */
export function wassersteinSorted(x: Sorted, y: Sorted): number {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let distance = 0;
  let previous = Math.min(x[0], y[0]);
  while (i < n || j < m) {
    const v = j >= m || (i < n && x[i] <= y[j]) ? x[i] : y[j];
    distance += Math.abs(i / n - j / m) * (v - previous);
    previous = v;
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
  }
  return distance;
}
