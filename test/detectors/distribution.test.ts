import {
  chiSquaredHomogeneity,
  chiSquaredSurvival,
  compareDistributions,
  jsDivergence,
  ksTwoSample,
  psi,
  wasserstein1,
} from '../../src/detectors/distribution';
import { gaussian, seededRandom } from './seeded-random';

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('PSI', () => {
  test('two bins at the reference median, computed by hand', () => {
    // reference 1..10 → one edge at the median 5.5; current has 8 of 10 values ≤ 5.5.
    // PSI = (0.8−0.5)·ln(0.8/0.5) + (0.2−0.5)·ln(0.2/0.5) = 0.3·ln 1.6 + 0.3·ln 2.5 = 0.415888…
    const reference = range(10, (i) => i + 1);
    expect(psi(reference, [1, 1, 1, 1, 1, 1, 1, 1, 9, 10], { bins: 2 })).toBeCloseTo(0.41588830833596724, 12);
    expect(psi(reference, reference, { bins: 2 })).toBe(0);
  });

  test('an empty bin counts as epsilon = 1e-4 instead of making PSI infinite', () => {
    // current all ≤ 5.5: 0.5·ln(1/0.5) + (1e-4 − 0.5)·ln(1e-4/0.5) = 4.604318…
    expect(psi(range(10, (i) => i + 1), [1, 2, 3], { bins: 2 })).toBeCloseTo(4.60431846666895, 12);
  });
});

describe('Kolmogorov–Smirnov, two samples', () => {
  test('statistic by hand; p-value of the asymptotic Kolmogorov distribution (SciPy kstwobign.sf)', () => {
    // F_a − F_b at 5: 5/5 − 3/6 = 0.5, the largest gap. p = kstwobign.sf(√(30/11)·0.5) = 0.502914… (SciPy 1.17)
    const r = ksTwoSample([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
    expect(r.statistic).toBeCloseTo(0.5, 12);
    expect(r.pValue).toBeCloseTo(0.502914033641129, 8);
  });

  test('a shifted grid: D = 0.18, p = 0.0077417 (SciPy kstwobign.sf(√(200·150/350)·0.18))', () => {
    const r = ksTwoSample(range(200, (i) => 0.1 * i), range(150, (i) => 0.1 * i + 1.5));
    expect(r.statistic).toBeCloseTo(0.18, 10);
    expect(r.pValue).toBeCloseTo(0.007741664276245992, 8);
  });

  test('identical samples: D = 0, p = 1', () => {
    expect(ksTwoSample([1, 2, 2, 3], [1, 2, 2, 3])).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe('Jensen–Shannon divergence (bits)', () => {
  test('known values (SciPy jensenshannon(p, q, base=2)²)', () => {
    expect(jsDivergence([1, 0], [0, 1])).toBe(1); // disjoint
    expect(jsDivergence([0.5, 0.5, 0], [0, 0.5, 0.5])).toBeCloseTo(0.5, 12); // half the mass disjoint
    expect(jsDivergence([10, 20, 30], [30, 20, 10])).toBeCloseTo(0.1258145836939115, 12); // counts are normalised
    expect(jsDivergence([3, 4], [3, 4])).toBe(0);
  });
});

describe('Wasserstein-1', () => {
  test('a shifted sample moves by the shift; uneven sizes by hand', () => {
    expect(wasserstein1([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 12);
    // ∫|F_a − F_b|: [1,2) 1/4, [2,3) |3/4 − 2/3|… = 0.25 + 1/12 + 0 + … = 1.5 (SciPy wasserstein_distance)
    expect(wasserstein1([1, 2, 3, 4], [2, 2, 7])).toBeCloseTo(1.5, 12);
  });
});

describe('χ² test of homogeneity', () => {
  test('2×3 table by hand: χ² = 5.333, dof 2, p = e^(−χ²/2) = 0.069483', () => {
    // column totals 50, 40, 30 of N = 120; expected 25, 20, 15 per row.
    // χ² = 2·(25/25 + 0 + 25/15) = 5.3333; for dof 2 the survival function is exp(−x/2).
    const r = chiSquaredHomogeneity([30, 20, 10], [20, 20, 20]);
    expect(r.statistic).toBeCloseTo(16 / 3, 12);
    expect(r.dof).toBe(2);
    expect(r.pValue).toBeCloseTo(Math.exp(-8 / 3), 12);
  });

  test('categories empty in both samples do not count as degrees of freedom', () => {
    expect(chiSquaredHomogeneity([30, 0, 20, 10], [20, 0, 20, 20]).dof).toBe(2);
  });

  test('survival function against the χ² table (SciPy chi2.sf)', () => {
    expect(chiSquaredSurvival(3.84, 1)).toBeCloseTo(0.05004352124870519, 10);
    expect(chiSquaredSurvival(10, 4)).toBeCloseTo(0.04042768199451279, 10);
    expect(chiSquaredSurvival(100, 50)).toBeCloseTo(3.454931382984871e-5, 12);
    expect(chiSquaredSurvival(0.5, 3)).toBeCloseTo(0.9188914116546758, 10);
  });
});

describe('compareDistributions', () => {
  const normal = (seed: number, n: number, shift = 0) => {
    const g = gaussian(seededRandom(seed));
    return range(n, () => g() + shift);
  };

  test('too few values on either side: not judged, and it says so', () => {
    const r = compareDistributions(normal(1, 500), normal(2, 40), { minSamples: 100 });
    expect(r).toMatchObject({ judged: false, drifted: false, pValue: null, nCurrent: 40, nReference: 500 });
    expect(r.effect).toBeNaN();
    expect(r.basis).toBe('not enough data: n=40 current, n=500 reference (need 100 each)');
  });

  test('a huge window with a trivial shift is significant but not drift (effect too small)', () => {
    const r = compareDistributions(normal(3, 50_000), normal(4, 50_000, 0.05));
    expect(r.pValue!).toBeLessThan(1e-6);
    expect(r.effect).toBeLessThan(0.05);
    expect(r.drifted).toBe(false);
    expect(r.basis).toMatch(/^PSI 0\.0\d+ \(KS p<0\.001; n=50000 vs 50000 reference\): effect below 0\.2$/);
  });

  test('a large shift is drift by PSI; the same shift in few values with a large effect still needs significance', () => {
    const big = compareDistributions(normal(5, 2000), normal(6, 500, 1));
    expect(big).toMatchObject({ test: 'psi', judged: true, drifted: true });
    expect(big.effect).toBeGreaterThan(0.5);
    // 5 values against 5: PSI is large, but KS D = 0.4 has p ≈ 0.82, far from significant
    const few = compareDistributions([1, 2, 3, 4, 5], [3, 4, 5, 6, 7], { minSamples: 5, bins: 2 });
    expect(few.effect).toBeGreaterThan(0.2);
    expect(few.drifted).toBe(false);
    expect(few.basis).toContain('not significant at 0.01');
  });

  test('numeric tests: ks, wasserstein in reference sd', () => {
    const ref = normal(7, 3000);
    const cur = normal(8, 3000, 0.5);
    expect(compareDistributions(ref, cur, { test: 'ks' })).toMatchObject({ drifted: true });
    const w = compareDistributions(ref, cur, { test: 'wasserstein' });
    expect(w.effect).toBeGreaterThan(0.4);
    expect(w.effect).toBeLessThan(0.6);
    expect(w.basis).toContain('reference sd');
  });

  test('categorical: JS by default with a χ² p-value; χ² reports Cramér’s V', () => {
    const ref = [...Array(300).fill('a'), ...Array(300).fill('b')];
    const cur = [...Array(300).fill('a'), ...Array(100).fill('b'), ...Array(200).fill('c')];
    const js = compareDistributions(ref, cur);
    expect(js.test).toBe('js');
    expect(js.drifted).toBe(true);
    expect(js.basis).toMatch(/^JS 0\.\d+ \(χ²\(2\) p<0\.001; n=600 vs 600 reference\): drifted$/);
    // χ² on [[300,300,0],[300,100,200]]: expected [300,200,100] per row → 0 + 50+50 + 100+100 = 300; V = √(300/1200) = 0.5
    const chi = compareDistributions(ref, cur, { test: 'chi2' });
    expect(chi.statistic).toBeCloseTo(300, 9);
    expect(chi.effect).toBeCloseTo(0.5, 12);
    expect(compareDistributions(ref, ref).drifted).toBe(false);
  });
});
