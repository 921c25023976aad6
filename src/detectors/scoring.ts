import { z } from 'zod';
import type { Direction, DetectorResult, ExpectedBand } from './detector';

/**
 * directionSchema: which side of the expected band matters. A volume check only cares about drops
 * (`down`), a latency or error-rate check only about rises (`up`); `both` is the default.
 */
export const directionSchema = z.enum(['both', 'up', 'down']).default('both');

/**
 * SCORE_POWER is the steepness of ratioScore. With 4 the score stays near 0 for ordinary noise
 * (z = threshold/2 → 0.06), crosses 0.5 at the threshold and is 0.94 at twice the threshold.
 */
export const SCORE_POWER = 4;

/**
 * ratioScore maps a non-negative deviation ratio r (a robust z, a relative change) to [0,1] as
 * r^p / (r^p + t^p) with p = SCORE_POWER: smooth, monotone in r, 0 at r = 0, exactly 0.5 at the
 * detector's threshold t and approaching 1 as r grows. It grades evidence instead of a bare 0/1,
 * so alerts and dashboards can rank how far outside normal a value is.
 */
export function ratioScore(r: number, threshold: number): number {
  if (!(r > 0)) return 0;
  if (r === Infinity) return 1;
  const q = Math.pow(threshold / r, SCORE_POWER);
  return 1 / (1 + q);
}

/**
 * directedDeviation is how far value lies from centre on the side(s) `direction` cares about
 * (always ≥ 0): a rise scores 0 for a `down` detector, so a spike up never pages a volume check.
 */
export function directedDeviation(value: number, centre: number, direction: Direction): number {
  const d = value - centre;
  if (direction === 'up') return Math.max(0, d);
  if (direction === 'down') return Math.max(0, -d);
  return Math.abs(d);
}

/** bandAround is centre ± halfWidth with the side `direction` ignores left unbounded (null). */
export function bandAround(centre: number, halfWidth: number, direction: Direction): ExpectedBand {
  return {
    lower: direction === 'up' ? null : centre - halfWidth,
    upper: direction === 'down' ? null : centre + halfWidth,
  };
}

/** fmt prints a number compactly (4 significant digits) for `basis` texts meant for humans. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(4)));
}

/** notReady is the result while a detector is still learning: it never alerts and has no band yet. */
export function notReady(basis: string): DetectorResult {
  return { score: 0, isAnomaly: false, expected: null, ready: false, basis };
}

/**
 * notFinite is the result for a NaN or infinite value (e.g. a rate over an empty window): judged as
 * no evidence and never learned, because one NaN in the baseline would poison every later median.
 */
export function notFinite(expected: ExpectedBand | null, ready: boolean): DetectorResult {
  return { score: 0, isAnomaly: false, expected, ready, basis: 'value is not a finite number; not judged' };
}
