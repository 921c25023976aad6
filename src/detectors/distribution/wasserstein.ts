/**
 * wasserstein1 is the 1-D earth mover's distance between two empirical samples: ∫ |F_a − F_b| dx,
 * in the feature's own unit (how far, on average, mass had to move). Same as SciPy's
 * `wasserstein_distance(a, b)`.
 */
export function wasserstein1(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return NaN;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
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
