/**
 * jsDivergence is the Jensen–Shannon divergence of two discrete distributions in bits (log base 2),
 * so it lies in [0, 1]: 0 for identical distributions, 1 for disjoint ones. Inputs are counts or
 * shares over the same categories (normalised here); unlike KL it is finite with empty categories.
 */
export function jsDivergence(p: readonly number[], q: readonly number[]): number {
  const sp = sum(p);
  const sq = sum(q);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log2(a / m);
    if (b > 0) js += 0.5 * b * Math.log2(b / m);
  }
  return Math.min(1, Math.max(0, js));
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
