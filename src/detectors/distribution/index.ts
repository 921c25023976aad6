/** Distribution tests: pure functions comparing a reference sample with a current one. */
export { psi, psiFromShares, quantileEdges, binShares, PSI_EPSILON } from './psi';
export { ksTwoSample, ksSorted, kolmogorovQ, type KsResult } from './ks';
export { sortedCopy, countAtMost, mergeSorted, type Sorted } from './sorted';
export { jsDivergence } from './js';
export { wasserstein1, wassersteinSorted } from './wasserstein';
export { chiSquaredHomogeneity, chiSquaredSurvival, regularizedGammaQ, type ChiSquaredResult } from './chi-squared';
export {
  compareDistributions,
  CATEGORICAL_TESTS,
  DEFAULT_MIN_EFFECT,
  NUMERIC_TESTS,
  type CompareOptions,
  type Comparison,
  type DriftTest,
} from './compare';
