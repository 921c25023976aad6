import { z } from 'zod';
import type { Detector, DetectorPlugin, DetectorResult, ExpectedBand } from './detector';
import { directionSchema, fmt, notFinite } from './scoring';

/**
 * HALF_SCORE_DISTANCE: relative distance outside the band at which the score is 0.5. A value 10%
 * beyond its bound scores 0.5, 30% beyond scores 0.875, so small breaches rank below large ones.
 */
const HALF_SCORE_DISTANCE = 0.1;

/**
 * thresholdParams: static bounds. At least one bound is required, and the bound the `direction`
 * watches must exist — `direction: up` with only `min` could never alert, which is surely a mistake.
 */
export const thresholdParams = z
  .strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    direction: directionSchema,
  })
  .check((ctx) => {
    const p = ctx.value;
    if (p.min === undefined && p.max === undefined) {
      ctx.issues.push({ code: 'custom', input: p, path: [], message: 'at least one of min or max is required' });
      return;
    }
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) {
      ctx.issues.push({ code: 'custom', input: p, path: ['min'], message: `min (${p.min}) must not exceed max (${p.max})` });
    }
    if (p.direction === 'up' && p.max === undefined) {
      ctx.issues.push({ code: 'custom', input: p, path: ['max'], message: 'direction "up" needs max' });
    }
    if (p.direction === 'down' && p.min === undefined) {
      ctx.issues.push({ code: 'custom', input: p, path: ['min'], message: 'direction "down" needs min' });
    }
  });

export type ThresholdParams = z.output<typeof thresholdParams>;

/**
 * ThresholdDetector checks a value against static bounds: for SLO-like metrics (latency p99,
 * error rate) the limit is known in advance and no history is needed, so it is always ready.
 * Score: 0 inside; outside, 1 − 0.5^(d / 0.1) where d is the distance beyond the bound relative
 * to the bound's magnitude (or to the band width, or absolute, when the bound is 0).
 */
export class ThresholdDetector implements Detector {
  private readonly band: ExpectedBand;
  private readonly basis: string;

  constructor(p: ThresholdParams) {
    this.band = {
      lower: p.direction === 'up' ? null : (p.min ?? null),
      upper: p.direction === 'down' ? null : (p.max ?? null),
    };
    const { lower, upper } = this.band;
    if (lower !== null && upper !== null) this.basis = `static bounds [${fmt(lower)}, ${fmt(upper)}]`;
    else if (lower !== null) this.basis = `static bound ≥ ${fmt(lower)}`;
    else this.basis = `static bound ≤ ${fmt(upper as number)}`;
  }

  observe(_t: number, value: number): DetectorResult {
    if (!Number.isFinite(value)) return notFinite(this.band, true);
    const { lower, upper } = this.band;
    let distance = 0;
    let bound = 0;
    if (lower !== null && value < lower) [distance, bound] = [lower - value, lower];
    else if (upper !== null && value > upper) [distance, bound] = [value - upper, upper];
    if (distance === 0) return { score: 0, isAnomaly: false, expected: this.band, ready: true, basis: this.basis };
    const relative = distance / this.relativeTo(bound);
    const score = 1 - Math.pow(0.5, relative / HALF_SCORE_DISTANCE);
    return { score, isAnomaly: true, expected: this.band, ready: true, basis: this.basis };
  }

  /** relativeTo: |bound|, else the band width, else 1 (a bound of 0 has no magnitude to relate to). */
  private relativeTo(bound: number): number {
    if (bound !== 0) return Math.abs(bound);
    const { lower, upper } = this.band;
    if (lower !== null && upper !== null && upper > lower) return upper - lower;
    return 1;
  }
}

/** thresholdDetector: static `min`/`max` bounds, always ready. */
export const thresholdDetector: DetectorPlugin<ThresholdParams> = {
  kind: 'threshold',
  description: 'static min/max bounds; score 0 inside, 1 − 0.5^(relative distance / 0.1) outside (0.5 at 10% beyond)',
  params: thresholdParams,
  create: (params) => new ThresholdDetector(params),
};
