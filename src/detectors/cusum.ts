import { z } from 'zod';
import type { Detector, DetectorPlugin, DetectorResult } from './detector';
import { robustBaseline, RollingHistory, type RobustBaseline } from './robust-baseline';
import { directionSchema, fmt, notFinite, notReady, ratioScore } from './scoring';

/**
 * cusumParams: Page's tabular CUSUM on robust z residuals. `k` is the slack in z units (shifts
 * smaller than k are ignored: about half the shift to detect), `h` the decision interval.
 */
export const cusumParams = z
  .strictObject({
    /** learned values the median/MAD baseline is taken from */
    window: z.number().int().min(3).default(48),
    min_history: z.number().int().min(2).default(12),
    k: z.number().nonnegative().default(0.5),
    h: z.number().positive().default(5),
    min_relative_scale: z.number().nonnegative().default(0.02),
    min_abs_scale: z.number().positive().default(1e-9),
    direction: directionSchema,
  })
  .refine((p) => p.min_history <= p.window, { message: 'min_history must not exceed window', path: ['min_history'] });

export type CusumParams = z.output<typeof cusumParams>;

/**
 * CusumDetector finds slow leaks that no single value betrays: each value's robust z against the
 * median/MAD of the last `window` learned values feeds two sums, S⁺ = max(0, S⁺ + z − k) and
 * S⁻ = max(0, S⁻ − z − k); an alarm is a sum above h. A 1%-per-window decline stays inside any
 * z band, but its residuals are all on one side, so the sum grows until it crosses h.
 * After an alarm the sum restarts from 0 (Page's scheme), so one past excursion does not alarm forever.
 * Values with `learn: false` still add their evidence to the sums, but not to the baseline.
 */
export class CusumDetector implements Detector {
  private readonly history: RollingHistory;
  private up = 0;
  private down = 0;

  constructor(private readonly p: CusumParams) {
    this.history = new RollingHistory(p.window);
  }

  observe(_t: number, value: number, opts: { learn?: boolean } = {}): DetectorResult {
    const result = this.judge(value);
    this.history.learn(value, opts);
    return result;
  }

  private judge(value: number): DetectorResult {
    const { k, h, direction } = this.p;
    const n = this.history.values.length;
    if (n < this.p.min_history) return notReady(`learning: ${n} of ${this.p.min_history} values needed`);
    const b = robustBaseline(this.history.values, { ...this.p, threshold: h });
    if (!Number.isFinite(value)) return notFinite(this.band(b), true);
    // the band is judged before this value moves the sums: the values that would keep them ≤ h
    const expected = this.band(b);
    const z = (value - b.median) / b.scale;
    if (direction !== 'down') this.up = Math.max(0, this.up + z - k);
    if (direction !== 'up') this.down = Math.max(0, this.down - z - k);
    const sum = Math.max(this.up, this.down);
    const isAnomaly = sum > h;
    const basis =
      `CUSUM of robust z against median ${fmt(b.median)}, scale ${fmt(b.scale)} of the last ${n} values: ` +
      `${this.sums()} (slack k ${fmt(k)}, alarm above h ${fmt(h)})`;
    if (isAnomaly) {
      // Page's restart: the alarm consumed the evidence
      if (this.up > h) this.up = 0;
      if (this.down > h) this.down = 0;
    }
    return { score: ratioScore(sum, h), isAnomaly, expected, ready: true, basis };
  }

  /** band: values whose z keeps the sums at or below h, i.e. median ± (h + k − S)·scale. */
  private band(b: RobustBaseline) {
    const { k, h, direction } = this.p;
    return {
      lower: direction === 'up' ? null : b.median - (h + k - this.down) * b.scale,
      upper: direction === 'down' ? null : b.median + (h + k - this.up) * b.scale,
    };
  }

  private sums(): string {
    const { direction } = this.p;
    const parts: string[] = [];
    if (direction !== 'down') parts.push(`S⁺ ${fmt(this.up)}`);
    if (direction !== 'up') parts.push(`S⁻ ${fmt(this.down)}`);
    return parts.join(', ');
  }
}

/** cusumDetector: tabular CUSUM for slow leaks and small persistent shifts. */
export const cusumDetector: DetectorPlugin<CusumParams> = {
  kind: 'cusum',
  description:
    'tabular CUSUM of robust z (median/MAD of the last `window` values) with slack k; alarm when a sum exceeds h; score S^4/(S^4+h^4)',
  params: cusumParams,
  create: (params) => new CusumDetector(params),
};
