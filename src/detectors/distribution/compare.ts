import { standardDeviation } from 'simple-statistics';
import { fmt } from '../scoring';
import { chiSquaredHomogeneity } from './chi-squared';
import { jsDivergence } from './js';
import { ksSorted } from './ks';
import { binShares, psiFromShares, quantileEdges } from './psi';
import { sortedCopy, type Sorted } from './sorted';
import { wassersteinSorted } from './wasserstein';

export const NUMERIC_TESTS = ['psi', 'ks', 'wasserstein', 'js'] as const;
export const CATEGORICAL_TESTS = ['js', 'chi2', 'psi'] as const;
export type DriftTest = 'psi' | 'ks' | 'wasserstein' | 'js' | 'chi2';

/**
 * DEFAULT_MIN_EFFECT: the effect size below which a shift is too small to matter, per test. PSI 0.2
 * is the usual "significant shift"; KS D 0.1 is 10 points of CDF; Wasserstein is in reference
 * standard deviations; JS is in bits; χ²'s effect is Cramér's V (0.1 = a small association).
 */
export const DEFAULT_MIN_EFFECT: Readonly<Record<DriftTest, number>> = { psi: 0.2, ks: 0.1, wasserstein: 0.25, js: 0.05, chi2: 0.1 };

export interface CompareOptions {
  /** the test whose effect size is reported; default psi for numbers, js for categories */
  test?: DriftTest;
  /** fewer values than this on either side: not judged (default 100) */
  minSamples?: number;
  /** effect size at or above which a significant shift counts as drift (default per test) */
  minEffect?: number;
  /** significance level of the p-value (KS for numbers, χ² for categories); default 0.01 */
  alpha?: number;
  /** quantile bins of PSI and of JS on numbers (default 10) */
  bins?: number;
}

/** Comparison: the verdict of one reference/current comparison, with a `basis` in words. */
export interface Comparison {
  test: DriftTest;
  /** false when a side had too few values: nothing else is meaningful then */
  judged: boolean;
  /** the test's own statistic (PSI, D, W1, JS in bits, χ²) */
  statistic: number;
  /** p-value of the significance test (KS for numbers, χ² for categories); null when not judged */
  pValue: number | null;
  /** effect size the threshold applies to (= statistic, except W1 in reference sd and χ²'s Cramér's V) */
  effect: number;
  /** significant (p < alpha) AND effect ≥ minEffect: a huge window with a trivial shift is not drift */
  drifted: boolean;
  nReference: number;
  nCurrent: number;
  basis: string;
}

/**
 * compareDistributions judges whether `current` drifted from `reference`. Both are numbers (a
 * numeric feature, model scores) or strings (a categorical feature). Drift needs both a significant
 * test (p < alpha) and an effect size ≥ minEffect, because with thousands of values any trivial
 * shift is significant, and with a few values any large-looking shift may be chance.
 * A Float64Array input is taken as already sorted ascending (what sortedCopy and mergeSorted return).
 */
export function compareDistributions(
  reference: readonly number[] | Sorted | readonly string[],
  current: readonly number[] | Sorted | readonly string[],
  opts: CompareOptions = {},
): Comparison {
  const numeric = reference instanceof Float64Array || current instanceof Float64Array || typeof (reference[0] ?? current[0]) === 'number';
  const test = opts.test ?? (numeric ? 'psi' : 'js');
  const minSamples = opts.minSamples ?? 100;
  const alpha = opts.alpha ?? 0.01;
  const minEffect = opts.minEffect ?? DEFAULT_MIN_EFFECT[test];
  const nReference = reference.length;
  const nCurrent = current.length;
  if (nReference < minSamples || nCurrent < minSamples) {
    const basis = `not enough data: n=${nCurrent} current, n=${nReference} reference (need ${minSamples} each)`;
    return { test, judged: false, statistic: NaN, pValue: null, effect: NaN, drifted: false, nReference, nCurrent, basis };
  }
  const r = numeric
    ? judgeNumeric(asSorted(reference as readonly number[] | Sorted), asSorted(current as readonly number[] | Sorted), test, opts.bins ?? 10)
    : judgeCategorical(reference as string[], current as string[], test);
  const significant = r.pValue < alpha;
  const drifted = significant && r.effect >= minEffect;
  const p = r.pValue < 0.001 ? 'p<0.001' : `p=${fmt(r.pValue)}`;
  const effectText = r.effect === r.statistic ? '' : `, effect ${fmt(r.effect)} ${r.effectUnit}`;
  const verdict = drifted ? 'drifted' : !significant ? `not significant at ${alpha}` : `effect below ${fmt(minEffect)}`;
  const basis = `${r.name} ${fmt(r.statistic)}${effectText} (${r.pName} ${p}; n=${nCurrent} vs ${nReference} reference): ${verdict}`;
  return { test, judged: true, statistic: r.statistic, pValue: r.pValue, effect: r.effect, drifted, nReference, nCurrent, basis };
}

interface Judged {
  name: string;
  statistic: number;
  effect: number;
  effectUnit: string;
  pValue: number;
  pName: string;
}

/** asSorted: a Float64Array is taken as already sorted (from sortedCopy / mergeSorted); anything else is sorted. */
function asSorted(values: readonly number[] | Sorted): Sorted {
  return values instanceof Float64Array ? values : sortedCopy(values);
}

function judgeNumeric(ref: Sorted, cur: Sorted, test: DriftTest, bins: number): Judged {
  const ks = ksSorted(ref, cur);
  const base = { pValue: ks.pValue, pName: 'KS', effectUnit: '' };
  if (test === 'ks') return { ...base, name: 'KS D', statistic: ks.statistic, effect: ks.statistic };
  if (test === 'wasserstein') {
    const w = wassersteinSorted(ref, cur);
    const sd = standardDeviation(ref as unknown as number[]);
    // W1 in reference standard deviations, so one threshold fits every unit; a constant reference has no spread
    const effect = sd > 0 ? w / sd : w > 0 ? Infinity : 0;
    return { ...base, name: 'Wasserstein-1', statistic: w, effect, effectUnit: 'reference sd' };
  }
  if (test === 'chi2') throw new Error('the χ² test is for categorical values; use psi, ks, wasserstein or js for numbers');
  const edges = quantileEdges(ref, bins);
  const refShares = binShares(ref, edges);
  const curShares = binShares(cur, edges);
  if (test === 'js') {
    const js = jsDivergence(refShares, curShares);
    return { ...base, name: 'JS', statistic: js, effect: js };
  }
  const value = psiFromShares(refShares, curShares);
  return { ...base, name: 'PSI', statistic: value, effect: value };
}

function judgeCategorical(reference: string[], current: string[], test: DriftTest): Judged {
  const index = new Map<string, number>();
  for (const v of reference) if (!index.has(v)) index.set(v, index.size);
  for (const v of current) if (!index.has(v)) index.set(v, index.size);
  const ref = new Array<number>(index.size).fill(0);
  const cur = new Array<number>(index.size).fill(0);
  for (const v of reference) ref[index.get(v)!]++;
  for (const v of current) cur[index.get(v)!]++;
  const chi = chiSquaredHomogeneity(ref, cur);
  const base = { pValue: chi.pValue, pName: `χ²(${chi.dof})`, effectUnit: '' };
  if (test === 'chi2') {
    const cramersV = Math.sqrt(chi.statistic / (reference.length + current.length));
    return { ...base, name: 'χ²', statistic: chi.statistic, effect: cramersV, effectUnit: "Cramér's V" };
  }
  if (test === 'psi') {
    const value = psiFromShares(ref.map((c) => c / reference.length), cur.map((c) => c / current.length));
    return { ...base, name: 'PSI', statistic: value, effect: value };
  }
  if (test === 'js') {
    const js = jsDivergence(ref, cur);
    return { ...base, name: 'JS', statistic: js, effect: js };
  }
  throw new Error(`the ${test} test is for numbers; use js, chi2 or psi for categories`);
}
