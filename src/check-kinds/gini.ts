/**
 * gini: the Gini coefficient of non-negative counts, 0 when every item has the same count and
 * (n−1)/n when one item has everything. G = Σᵢ (2i − n − 1)·xᵢ / (n·Σx), xᵢ sorted ascending, i
 * from 1. NaN for no items or a zero total. (simple-statistics has no Gini.)
 */
export function gini(counts: readonly number[]): number {
  const n = counts.length;
  const sorted = [...counts].sort((a, b) => a - b);
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i];
    weighted += (2 * (i + 1) - n - 1) * sorted[i];
  }
  return n === 0 || total === 0 ? NaN : weighted / (n * total);
}
