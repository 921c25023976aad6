export type Verdict = 'data' | 'model' | 'both' | 'not_reproducible' | 'inconclusive';

/** The 2×2 swap experiment's cells: {failing, reference} inputs × {current, last good} model. */
export interface SwapCells<T> {
  failing_current: T;
  failing_good: T;
  reference_current: T;
  reference_good: T;
}

export interface VerdictInput {
  /** share of replayed failing requests that gave the logged scores */
  reproducedShare: number;
  /** below this share the failure does not reproduce in isolation (default 0.8) */
  minReproduced?: number;
  /** which cells look unhealthy */
  bad: SwapCells<boolean>;
}

/**
 * verdictOf is the decision table, a pure function:
 * - the replay does not give the logged scores, or the failing cell looks healthy → not_reproducible;
 * - failing inputs bad under both models, reference inputs fine under the current model → data;
 * - reference inputs bad under the current model, failing inputs fine under the good model → model;
 * - failing inputs bad under the good model and reference inputs bad under the current one → both;
 * - only the combination (failing inputs × current model) is bad → inconclusive.
 */
export function verdictOf(v: VerdictInput): Verdict {
  if (v.reproducedShare < (v.minReproduced ?? 0.8)) return 'not_reproducible';
  const b = v.bad;
  if (!b.failing_current) return 'not_reproducible';
  const data = b.failing_good;
  const model = b.reference_current;
  if (data && model) return 'both';
  if (data) return 'data';
  if (model) return 'model';
  return 'inconclusive';
}
