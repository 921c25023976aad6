import type { z } from 'zod';

/** Band the detector expected the value to fall in; a side is null when unbounded. */
export interface ExpectedBand {
  lower: number | null;
  upper: number | null;
}

/** DetectorResult is what one causal observation yields. */
export interface DetectorResult {
  /** anomaly score in [0,1]; grows with the evidence of anomaly (0 = normal) */
  score: number;
  /** score crossed the detector's threshold (and the detector has learned enough to judge) */
  isAnomaly: boolean;
  /** the band the value was expected in; null while the detector is still learning */
  expected: ExpectedBand | null;
  /** false while the detector is still learning what normal looks like; it never alerts then */
  ready: boolean;
  /** how `expected` was computed, in words, e.g. "median±4·MAD of the last 24 values" */
  basis: string;
}

export type Direction = 'both' | 'up' | 'down';

/**
 * Detector judges one metric series, causally: observe(t, v) sees only values observed before.
 * With `learn: false` the value is judged but kept out of the baseline (windows inside a firing
 * alert must not teach the detector that the incident is normal).
 */
export interface Detector {
  observe(t: number, value: number, opts?: { learn?: boolean }): DetectorResult;
}

/** DetectorPlugin: a detector kind with its parameter schema and defaults, as data. */
export interface DetectorPlugin<P = Record<string, unknown>> {
  kind: string;
  description: string;
  /** zod schema of the params; parsing fills defaults */
  params: z.ZodType<P>;
  create(params: P): Detector;
}
