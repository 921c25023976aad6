import { quantileSorted } from 'simple-statistics';
import { countAtMost, sortedCopy, type Sorted } from './sorted';

/** PSI_EPSILON: the share given to an empty bin, so one empty bin does not make PSI infinite. */
export const PSI_EPSILON = 1e-4;

/**
 * psiFromShares is the Population Stability Index Σ (c − r)·ln(c / r) over matching bins of two
 * share vectors; a share of 0 is replaced by `epsilon` (both sides), the usual convention.
 */
export function psiFromShares(reference: readonly number[], current: readonly number[], epsilon = PSI_EPSILON): number {
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i], epsilon);
    const c = Math.max(current[i], epsilon);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/**
 * quantileEdges: the inner bin edges at the reference's 1/bins … (bins−1)/bins quantiles, with
 * duplicates dropped (a feature that is often exactly 0 gets one bin for the 0s, not several).
 */
export function quantileEdges(sortedReference: Sorted | readonly number[], bins: number): number[] {
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const q = quantileSorted(sortedReference as unknown as number[], i / bins);
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  return edges;
}

/** binShares: the share of the sorted values in each bin (−∞, e0], (e0, e1], …, (e_last, ∞). */
export function binShares(sorted: Sorted, edges: readonly number[]): number[] {
  const shares: number[] = [];
  let below = 0;
  for (const e of edges) {
    const upTo = countAtMost(sorted, e);
    shares.push((upTo - below) / sorted.length);
    below = upTo;
  }
  shares.push((sorted.length - below) / sorted.length);
  return shares;
}

/**
 * psi of two numeric samples, binned at the reference's quantiles (`bins` equal-mass bins, 10 by
 * default). Rule of thumb: < 0.1 stable, 0.1–0.25 a moderate shift, > 0.25 a major shift.
 */
export function psi(reference: readonly number[], current: readonly number[], opts: { bins?: number; epsilon?: number } = {}): number {
  if (reference.length === 0 || current.length === 0) return NaN;
  const ref = sortedCopy(reference);
  const edges = quantileEdges(ref, opts.bins ?? 10);
  return psiFromShares(binShares(ref, edges), binShares(sortedCopy(current), edges), opts.epsilon);
}
