import { median } from 'simple-statistics';
import { z } from 'zod';
import type { Detector, DetectorPlugin, DetectorResult } from './detector';
import { durationParam, formatDuration } from './duration';
import { MAD_TO_SIGMA, robustScaleFields } from './robust-baseline';
import { RobustZscoreDetector, robustWindowFields } from './robust-zscore';
import { bandAround, directedDeviation, directionSchema, fmt, notFinite, notReady, ratioScore } from './scoring';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/**
 * seasonalParams: a daily profile in `bucket`s of the UTC day times a factor per weekday, learned
 * from the last `seasons` days.
 */
export const seasonalParams = z
  .strictObject({
    bucket: durationParam.default(HOUR),
    /** days of history kept (two weeks see each weekday twice) */
    seasons: z.number().int().min(2).default(14),
    /** earlier days with values in a bucket before its daily profile is trusted */
    min_seasons: z.number().int().min(1).default(2),
    /** distinct buckets of a weekday learned before its weekly factor is trusted */
    weekday_min_buckets: z.number().int().min(1).default(3),
    /** relative residuals the noise scale is taken from, and how many it needs first */
    residual_window: z.number().int().min(4).default(96),
    min_residuals: z.number().int().min(0).default(12),
    threshold: z.number().positive().default(4),
    /**
     * how the noise grows with the level: `relative` (∝ expected: a ratio, a rate) or `count`
     * (∝ √expected, as for event counts: a quiet night is relatively noisier than the peak)
     */
    noise: z.enum(['relative', 'count']).default('relative'),
    /** floor of the noise scale relative to the expected value */
    min_relative_scale: z.number().nonnegative().default(0.05),
    min_abs_scale: z.number().positive().default(1e-9),
    direction: directionSchema,
    /**
     * robust-zscore params to judge with while the rhythm is still being learned (the first days):
     * a new deployment is covered from its first hours instead of staying blind for two days.
     * Absent: quiet until the seasonal baseline is ready. Its direction is the detector's.
     */
    until_ready: z
      .strictObject({
        ...robustWindowFields,
        threshold: robustScaleFields.threshold,
        min_relative_scale: robustScaleFields.min_relative_scale,
        min_abs_scale: robustScaleFields.min_abs_scale,
      })
      .refine((p) => p.min_history === undefined || p.min_history <= p.window, { message: 'min_history must not exceed window', path: ['min_history'] })
      .optional(),
  })
  .check((ctx) => {
    const p = ctx.value;
    if (p.bucket > DAY || DAY % p.bucket !== 0) {
      ctx.issues.push({ code: 'custom', input: p, path: ['bucket'], message: `bucket (${formatDuration(p.bucket)}) must divide 1d evenly` });
    }
    if (p.min_seasons >= p.seasons) {
      ctx.issues.push({ code: 'custom', input: p, path: ['min_seasons'], message: 'min_seasons must be below seasons' });
    }
    if (p.min_residuals > p.residual_window) {
      ctx.issues.push({ code: 'custom', input: p, path: ['min_residuals'], message: 'min_residuals must not exceed residual_window' });
    }
  });

export type SeasonalParams = z.output<typeof seasonalParams>;

/** One UTC day of learned values: per-bucket sums, and the ratios to the profile that teach its weekday's factor. */
interface DayStats {
  weekday: number;
  sum: Float64Array;
  count: Uint32Array;
  ratioSum: number;
  ratioCount: number;
  ratioBuckets: Set<number>;
}

/**
 * SeasonalDetector learns a recommender's daily AND weekly rhythm: expected(t) = D[b] · W[d], with
 * b the bucket of the UTC day t falls in and d its weekday. D[b] is the median, over the earlier
 * stored days, of that day's mean in bucket b divided by its weekday factor; W[d] is the mean ratio
 * value / D[b] of the values learned on weekday d (its last two occurrences with the default 14
 * days). So a weekend that runs 30% lower is learned within its first few buckets, not paged.
 * Noise: scale = max(1.4826·median |relative residual| of the last `residual_window` judged values,
 * min_relative_scale)·|expected|; z = |x − expected| / scale, score ratioScore(z, threshold). With
 * `noise: count` the residuals are |x − expected| / √expected and the scale 1.4826·median·√expected
 * (variance ∝ level, as for counts), so quiet hours get a relatively wider band than busy ones.
 * Works with any evaluation times (t is epoch ms); memory is `seasons` days of buckets.
 */
export class SeasonalDetector implements Detector {
  private readonly buckets: number;
  private readonly days = new Map<number, DayStats>();
  private readonly residuals: number[] = [];
  private readonly untilReady?: RobustZscoreDetector;

  constructor(private readonly p: SeasonalParams) {
    this.buckets = DAY / p.bucket;
    if (p.until_ready) this.untilReady = new RobustZscoreDetector({ ...p.until_ready, direction: p.direction });
  }

  observe(t: number, value: number, opts: { learn?: boolean } = {}): DetectorResult {
    const day = Math.floor(t / DAY);
    const bucket = Math.floor((t - day * DAY) / this.p.bucket);
    const profile = this.profile(day, bucket);
    const weekly = this.weekly(weekdayOf(day));
    let result = this.judge(value, profile, weekly, bucket, weekdayOf(day));
    // The fallback learns all along (same hygiene), so it is warm whenever it is needed.
    const early = this.untilReady?.observe(t, value, opts);
    if (!result.ready && early) result = { ...early, basis: `${early.basis} (until the rhythm is learned; ${result.basis})` };
    if (opts.learn !== false && Number.isFinite(value)) {
      const stats = this.dayStats(day);
      stats.sum[bucket] += value;
      stats.count[bucket]++;
      if (profile.ready && profile.value > 0) {
        stats.ratioSum += value / profile.value;
        stats.ratioCount++;
        stats.ratioBuckets.add(bucket);
      }
      // residuals are learned as soon as profile and factor exist: they are what readiness waits for
      if (profile.ready && weekly.ready) {
        const expected = profile.value * weekly.factor;
        this.residuals.push(Math.abs(value - expected) / this.unit(expected));
        if (this.residuals.length > this.p.residual_window) this.residuals.shift();
      }
    }
    return result;
  }

  private judge(
    value: number,
    profile: { value: number; days: number; ready: boolean },
    weekly: { factor: number; buckets: number; ready: boolean },
    bucket: number,
    weekday: number,
  ): DetectorResult {
    const where = this.describeBucket(bucket);
    if (!profile.ready) return notReady(`learning: ${profile.days} of ${this.p.min_seasons} earlier days have values at ${where}`);
    if (!weekly.ready) {
      return notReady(`learning the ${WEEKDAYS[weekday]} factor: ${weekly.buckets} of ${this.p.weekday_min_buckets} buckets seen`);
    }
    if (this.residuals.length < this.p.min_residuals) {
      return notReady(`learning the noise: ${this.residuals.length} of ${this.p.min_residuals} residuals`);
    }
    const expected = profile.value * weekly.factor;
    // the residuals are in units of unit(expected): turned into a share of this expected value
    const fromResiduals = this.residuals.length > 0 ? (MAD_TO_SIGMA * median(this.residuals) * this.unit(expected)) / Math.max(Math.abs(expected), this.p.min_abs_scale) : 0;
    const relative = Math.max(fromResiduals, this.p.min_relative_scale);
    const scale = Math.max(relative * Math.abs(expected), this.p.min_abs_scale);
    const { threshold, direction } = this.p;
    const band = bandAround(expected, threshold * scale, direction);
    if (!Number.isFinite(value)) return notFinite(band, true);
    const zValue = directedDeviation(value, expected, direction) / scale;
    const pm = direction === 'up' ? '+' : direction === 'down' ? '−' : '±';
    const noise =
      fromResiduals < this.p.min_relative_scale ? 'noise at the relative floor' : this.p.noise === 'count' ? 'noise ∝ √expected, from recent residuals' : 'noise from recent residuals';
    return {
      score: ratioScore(zValue, threshold),
      isAnomaly: zValue > threshold,
      expected: band,
      ready: true,
      basis:
        `daily profile ${fmt(profile.value)} at ${where} (median of ${profile.days} days) × ${WEEKDAYS[weekday]} factor ${fmt(weekly.factor)}` +
        ` = ${fmt(expected)} ${pm} ${fmt(threshold)}·${fmt(relative * 100)}% (${noise})`,
    };
  }

  /** unit: what a residual is measured in: the expected value (relative noise) or its square root (count noise). */
  private unit(expected: number): number {
    const e = Math.max(Math.abs(expected), this.p.min_abs_scale);
    return this.p.noise === 'count' ? Math.sqrt(e) : e;
  }

  /** profile: D[b] from the stored days before `day`, each divided by its weekday's factor (1 while unknown). */
  private profile(day: number, bucket: number): { value: number; days: number; ready: boolean } {
    const values: number[] = [];
    for (const [d, s] of this.days) {
      if (d >= day || d < day - this.p.seasons || s.count[bucket] === 0) continue;
      const w = this.weekly(s.weekday);
      values.push(s.sum[bucket] / s.count[bucket] / (w.ready && w.factor > 0 ? w.factor : 1));
    }
    const ready = values.length >= this.p.min_seasons;
    return { value: values.length ? median(values) : NaN, days: values.length, ready };
  }

  /** weekly: W[d], the mean ratio to the profile of the values learned on weekday d. */
  private weekly(weekday: number): { factor: number; buckets: number; ready: boolean } {
    let sum = 0;
    let count = 0;
    const seen = new Set<number>();
    for (const s of this.days.values()) {
      if (s.weekday !== weekday) continue;
      sum += s.ratioSum;
      count += s.ratioCount;
      for (const b of s.ratioBuckets) seen.add(b);
    }
    return { factor: count ? sum / count : 1, buckets: seen.size, ready: seen.size >= this.p.weekday_min_buckets };
  }

  private dayStats(day: number): DayStats {
    let s = this.days.get(day);
    if (!s) {
      s = {
        weekday: weekdayOf(day),
        sum: new Float64Array(this.buckets),
        count: new Uint32Array(this.buckets),
        ratioSum: 0,
        ratioCount: 0,
        ratioBuckets: new Set(),
      };
      this.days.set(day, s);
      // bounded memory: forget days that can no longer be part of any profile
      for (const d of this.days.keys()) if (d < day - this.p.seasons) this.days.delete(d);
    }
    return s;
  }

  private describeBucket(bucket: number): string {
    const from = bucket * this.p.bucket;
    return `${clock(from)}–${clock(from + this.p.bucket)} UTC`;
  }
}

/** weekdayOf: 0 = Sunday … 6 = Saturday; day 0 of the epoch (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function clock(ms: number): string {
  const h = Math.floor(ms / HOUR);
  const m = Math.floor((ms % HOUR) / 60_000);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** seasonalDetector: daily profile × weekday factor, for traffic-like series with a weekly rhythm. */
export const seasonalDetector: DetectorPlugin<SeasonalParams> = {
  kind: 'seasonal',
  description:
    'daily profile (median of the same `bucket` over earlier days) × a learned weekday factor ± threshold·noise; score z^4/(z^4+threshold^4)',
  params: seasonalParams,
  create: (params) => new SeasonalDetector(params),
};
