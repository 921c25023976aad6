import { z } from 'zod';
import type { Detector, DetectorPlugin, DetectorResult } from './detector';
import { durationParam, formatDuration } from './duration';
import { judgeRobust, robustBaseline, robustScaleFields } from './robust-baseline';
import { notFinite, notReady } from './scoring';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * seasonalZscoreParams: the baseline of a value is what was learned in the same `bucket` of the
 * `period` (e.g. 10:00–11:00 of each day) over the last `seasons` periods.
 */
export const seasonalZscoreParams = z
  .strictObject({
    period: durationParam.default(DAY),
    bucket: durationParam.default(HOUR),
    seasons: z.number().int().min(1).default(7),
    min_seasons: z.number().int().min(1).default(2),
    ...robustScaleFields,
  })
  .check((ctx) => {
    const p = ctx.value;
    if (p.bucket > p.period || p.period % p.bucket !== 0) {
      const message = `bucket (${formatDuration(p.bucket)}) must divide period (${formatDuration(p.period)}) evenly`;
      ctx.issues.push({ code: 'custom', input: p, path: ['bucket'], message });
    }
    if (p.min_seasons > p.seasons) {
      ctx.issues.push({ code: 'custom', input: p, path: ['min_seasons'], message: 'min_seasons must not exceed seasons' });
    }
  });

export type SeasonalZscoreParams = z.output<typeof seasonalZscoreParams>;

/**
 * SeasonalZscoreDetector is robust-zscore with a same-time-yesterday / same-time-last-week
 * baseline: traffic and engagement follow a daily rhythm, so the night trough compared with the
 * whole day's median would page every night, and a drop at the evening peak would hide inside
 * the day's range. Phases are taken from t (epoch ms, UTC): season = ⌊t / period⌋, bucket =
 * ⌊(t mod period) / bucket⌋. Not ready until `min_seasons` earlier periods have values there.
 */
export class SeasonalZscoreDetector implements Detector {
  /** season index → bucket index → learned values */
  private readonly history = new Map<number, Map<number, number[]>>();

  constructor(private readonly p: SeasonalZscoreParams) {}

  observe(t: number, value: number, opts: { learn?: boolean } = {}): DetectorResult {
    const season = Math.floor(t / this.p.period);
    const bucket = Math.floor((t - season * this.p.period) / this.p.bucket);
    const result = this.judge(season, bucket, value);
    if (opts.learn !== false && Number.isFinite(value)) this.learn(season, bucket, value);
    return result;
  }

  private judge(season: number, bucket: number, value: number): DetectorResult {
    const { seasons, min_seasons } = this.p;
    const baseline: number[] = [];
    let seasonsSeen = 0;
    for (let s = season - seasons; s < season; s++) {
      const values = this.history.get(s)?.get(bucket);
      if (values && values.length > 0) {
        seasonsSeen++;
        baseline.push(...values);
      }
    }
    const where = this.describeBucket(bucket);
    if (seasonsSeen < min_seasons) {
      return notReady(`learning: ${seasonsSeen} of ${min_seasons} earlier periods have values at ${where}`);
    }
    const b = robustBaseline(baseline, this.p);
    const of = `${baseline.length} values at ${where} over the last ${seasonsSeen} periods`;
    if (!Number.isFinite(value)) return notFinite(judgeRobust(b.median, b, this.p, of).expected, true);
    return judgeRobust(value, b, this.p, of);
  }

  private learn(season: number, bucket: number, value: number): void {
    let buckets = this.history.get(season);
    if (!buckets) {
      buckets = new Map();
      this.history.set(season, buckets);
      // A new period began: forget periods that can no longer be part of any baseline.
      for (const s of this.history.keys()) if (s < season - this.p.seasons) this.history.delete(s);
    }
    const values = buckets.get(bucket);
    if (values) values.push(value);
    else buckets.set(bucket, [value]);
  }

  /** describeBucket: e.g. `+10h..+11h of each 1d`, which an on-call engineer can map to the clock (UTC). */
  private describeBucket(bucket: number): string {
    const from = bucket * this.p.bucket;
    return `+${formatDuration(from)}..+${formatDuration(from + this.p.bucket)} of each ${formatDuration(this.p.period)}`;
  }
}

/** seasonalZscoreDetector: median/MAD of the same phase bucket of the last `seasons` periods. */
export const seasonalZscoreDetector: DetectorPlugin<SeasonalZscoreParams> = {
  kind: 'seasonal-zscore',
  description:
    'median ± threshold·1.4826·MAD of the same phase `bucket` of the last `seasons` `period`s; score z^4/(z^4+threshold^4)',
  params: seasonalZscoreParams,
  create: (params) => new SeasonalZscoreDetector(params),
};
