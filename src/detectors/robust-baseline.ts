import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { z } from 'zod';
import type { DetectorResult, Direction } from './detector';
import { bandAround, directedDeviation, directionSchema, fmt, ratioScore } from './scoring';

/** MAD_TO_SIGMA makes the MAD comparable to a standard deviation for normally distributed noise. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * robustScaleFields are the params shared by the median/MAD detectors (robust-zscore and
 * seasonal-zscore), so both read the same in a check file.
 */
export const robustScaleFields = {
  /** robust z (|x − median| / scale) beyond which a value is an anomaly */
  threshold: z.number().positive().default(4),
  /** floor of the scale relative to |median|: a flat series (MAD = 0) must not make every tiny change infinite */
  min_relative_scale: z.number().nonnegative().default(0.05),
  /** absolute floor of the scale, for a flat series at 0 */
  min_abs_scale: z.number().positive().default(1e-9),
  direction: directionSchema,
};

export interface RobustScaleParams {
  threshold: number;
  min_relative_scale: number;
  min_abs_scale: number;
  direction: Direction;
}

/** RobustBaseline is the centre and scale of the values a median/MAD detector compares against. */
export interface RobustBaseline {
  median: number;
  mad: number;
  /** max(1.4826·MAD, min_relative_scale·|median|, min_abs_scale) */
  scale: number;
  /** which term won the max, so `basis` can say honestly how the band was built */
  scaleFrom: 'mad' | 'relative' | 'absolute';
}

/**
 * robustBaseline computes median and MAD with simple-statistics and applies the scale floors.
 * Median/MAD rather than mean/stddev because a single earlier spike must not widen the band.
 */
export function robustBaseline(values: readonly number[], p: RobustScaleParams): RobustBaseline {
  const m = median(values as number[]);
  const mad = medianAbsoluteDeviation(values as number[]);
  const fromMad = MAD_TO_SIGMA * mad;
  const fromRel = p.min_relative_scale * Math.abs(m);
  const scale = Math.max(fromMad, fromRel, p.min_abs_scale);
  const scaleFrom = scale === fromMad ? 'mad' : scale === fromRel ? 'relative' : 'absolute';
  return { median: m, mad, scale, scaleFrom };
}

/**
 * judgeRobust scores value against a ready baseline: z = directed |x − median| / scale, score =
 * ratioScore(z, threshold) (0.5 at the threshold), anomaly when z > threshold; the band is
 * median ± threshold·scale on the side(s) `direction` watches. `of` names the baseline values.
 */
export function judgeRobust(value: number, b: RobustBaseline, p: RobustScaleParams, of: string): DetectorResult {
  const z = directedDeviation(value, b.median, p.direction) / b.scale;
  return {
    score: ratioScore(z, p.threshold),
    isAnomaly: z > p.threshold,
    expected: bandAround(b.median, p.threshold * b.scale, p.direction),
    ready: true,
    basis: describeBand(b, p, of),
  };
}

function describeBand(b: RobustBaseline, p: RobustScaleParams, of: string): string {
  const pm = p.direction === 'up' ? '+' : p.direction === 'down' ? '−' : '±';
  const t = fmt(p.threshold);
  const centre = `median ${fmt(b.median)}, MAD ${fmt(b.mad)}`;
  if (b.scaleFrom === 'mad') return `median ${pm} ${t}·1.4826·MAD of ${of} (${centre})`;
  if (b.scaleFrom === 'relative') {
    return `median ${pm} ${t}·${fmt(p.min_relative_scale)}·|median| of ${of} (${centre}; MAD below the relative floor)`;
  }
  return `median ${pm} ${t}·${fmt(p.min_abs_scale)} of ${of} (${centre}; flat series, absolute scale floor)`;
}

/**
 * RollingHistory: the last `size` values a detector learned, oldest first, for its robust baseline.
 * Non-finite values and values judged with `learn: false` (inside a firing alert, a marked false
 * alarm) are not learned.
 */
export class RollingHistory {
  readonly values: number[] = [];
  constructor(private readonly size: number) {}

  learn(value: number, opts: { learn?: boolean }): void {
    if (opts.learn === false || !Number.isFinite(value)) return;
    this.values.push(value);
    if (this.values.length > this.size) this.values.shift();
  }
}
