import { gammaln } from 'simple-statistics';

/** ChiSquaredResult: Pearson's χ² test of homogeneity of two count vectors. */
export interface ChiSquaredResult {
  statistic: number;
  /** degrees of freedom: categories seen in either sample − 1 */
  dof: number;
  pValue: number;
}

/**
 * chiSquaredHomogeneity tests whether two samples of a categorical variable come from the same
 * distribution: the 2×k contingency table's Σ (O − E)² / E, with categories empty in both samples
 * dropped; p = P(χ²_dof ≥ statistic).
 */
export function chiSquaredHomogeneity(a: readonly number[], b: readonly number[]): ChiSquaredResult {
  const na = a.reduce((s, x) => s + x, 0);
  const nb = b.reduce((s, x) => s + x, 0);
  const total = na + nb;
  if (!(na > 0) || !(nb > 0)) return { statistic: NaN, dof: 0, pValue: NaN };
  let statistic = 0;
  let categories = 0;
  for (let i = 0; i < a.length; i++) {
    const column = a[i] + b[i];
    if (column === 0) continue;
    categories++;
    const ea = (column * na) / total;
    const eb = (column * nb) / total;
    statistic += (a[i] - ea) ** 2 / ea + (b[i] - eb) ** 2 / eb;
  }
  const dof = categories - 1;
  return { statistic, dof, pValue: dof > 0 ? chiSquaredSurvival(statistic, dof) : 1 };
}

/** chiSquaredSurvival: P(χ²_k ≥ x) = Q(k/2, x/2), the regularized upper incomplete gamma function. */
export function chiSquaredSurvival(x: number, k: number): number {
  if (x <= 0) return 1;
  return regularizedGammaQ(k / 2, x / 2);
}

/**
 * regularizedGammaQ(a, x) = Γ(a, x) / Γ(a): the series of P for x < a + 1, Lentz's continued fraction
 * of Q otherwise (Numerical Recipes §6.2); simple-statistics has the log-gamma but not this.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = -x + a * Math.log(x) - gammaln(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}
