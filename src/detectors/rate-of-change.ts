import { mean } from 'simple-statistics';
import { z } from 'zod';
import type { Detector, DetectorPlugin, DetectorResult } from './detector';
import { bandAround, directedDeviation, directionSchema, fmt, notFinite, notReady, ratioScore } from './scoring';

/**
 * rateOfChangeParams: relative change against the previous learned value (`lookback: 1`) or the
 * mean of the last `lookback` learned values, which smooths a noisy reference.
 */
export const rateOfChangeParams = z.strictObject({
  /** relative change (0.5 = 50%) beyond which a value is an anomaly */
  max_change: z.number().positive().default(0.5),
  lookback: z.number().int().min(1).default(1),
  /** floor of |reference|, so a reference of 0 yields a huge but finite relative change */
  min_abs_base: z.number().positive().default(1e-9),
  direction: directionSchema,
});

export type RateOfChangeParams = z.output<typeof rateOfChangeParams>;

/**
 * RateOfChangeDetector flags sudden jumps and drops: change = (x − ref) / max(|ref|, min_abs_base).
 * It needs no long history, so it suits a fresh metric where a rolling median is not ready yet.
 * Score: ratioScore(|change|, max_change) = c^4 / (c^4 + max_change^4), 0.5 at max_change.
 */
export class RateOfChangeDetector implements Detector {
  private readonly recent: number[] = [];

  constructor(private readonly p: RateOfChangeParams) {}

  observe(_t: number, value: number, opts: { learn?: boolean } = {}): DetectorResult {
    const result = this.judge(value);
    if (opts.learn !== false && Number.isFinite(value)) {
      this.recent.push(value);
      if (this.recent.length > this.p.lookback) this.recent.shift();
    }
    return result;
  }

  private judge(value: number): DetectorResult {
    const { lookback, max_change, direction } = this.p;
    if (this.recent.length < lookback) return notReady(`learning: ${this.recent.length} of ${lookback} values needed`);
    const ref = lookback === 1 ? this.recent[0] : mean(this.recent);
    const base = Math.max(Math.abs(ref), this.p.min_abs_base);
    const expected = bandAround(ref, max_change * base, direction);
    if (!Number.isFinite(value)) return notFinite(expected, true);
    const change = directedDeviation(value, ref, direction) / base;
    const of = lookback === 1 ? `the previous value ${fmt(ref)}` : `the mean ${fmt(ref)} of the last ${lookback} values`;
    const pm = direction === 'up' ? '+' : direction === 'down' ? '−' : '±';
    return {
      score: ratioScore(change, max_change),
      isAnomaly: change > max_change,
      expected,
      ready: true,
      basis: `${pm}${fmt(max_change * 100)}% of ${of}`,
    };
  }
}

/** rateOfChangeDetector: relative change vs the previous value (or the mean of the last `lookback`). */
export const rateOfChangeDetector: DetectorPlugin<RateOfChangeParams> = {
  kind: 'rate-of-change',
  description:
    'relative change vs the previous value (or the mean of the last `lookback`); score c^4/(c^4+max_change^4), 0.5 at max_change',
  params: rateOfChangeParams,
  create: (params) => new RateOfChangeDetector(params),
};
