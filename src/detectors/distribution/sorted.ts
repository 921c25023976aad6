/** Sorted: numbers in ascending order, as a typed array (its native sort is far faster than Array#sort). */
export type Sorted = Float64Array;

/** sortedCopy: an ascending Float64Array copy of values. */
export function sortedCopy(values: ArrayLike<number>): Sorted {
  return Float64Array.from(values).sort();
}

/** countAtMost: how many of the sorted values are ≤ x (binary search). */
export function countAtMost(sorted: Sorted, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** mergeSorted: the ascending merge of sorted samples, in O(n log k) by merging pairs. */
export function mergeSorted(parts: readonly Sorted[]): Sorted {
  if (parts.length === 0) return new Float64Array(0);
  let level = parts.slice();
  while (level.length > 1) {
    const next: Sorted[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? mergeTwo(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

function mergeTwo(a: Sorted, b: Sorted): Sorted {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
