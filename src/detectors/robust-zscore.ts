import { z } from 'zod';
import type { Detector, DetectorPlugin, DetectorResult } from './detector';
import { judgeRobust, robustBaseline, robustScaleFields, RollingHistory } from './robust-baseline';
import { notFinite, notReady } from './scoring';

/** DEFAULT_MIN_HISTORY: learned values needed before judging, unless the window is smaller. */
const DEFAULT_MIN_HISTORY = 12;

/**
 * robustZscoreParams: rolling median/MAD over the last `window` learned values. `min_history`
 * defaults to min(12, window) so that shrinking the window alone never makes the check invalid.
 */
export const robustWindowFields = {
  window: z.number().int().min(3).default(24),
  min_history: z.number().int().min(2).optional(),
};

export const robustZscoreParams = z
  .strictObject({
    ...robustWindowFields,
    ...robustScaleFields,
  })
  .refine((p) => p.min_history === undefined || p.min_history <= p.window, {
    message: 'min_history must not exceed window',
    path: ['min_history'],
  });

export type RobustZscoreParams = z.output<typeof robustZscoreParams>;

/**
 * RobustZscoreDetector compares each value with the median of the last `window` learned values,
 * in robust z units |x − median| / max(1.4826·MAD, min_relative_scale·|median|, min_abs_scale).
 * Median and MAD ignore the odd spike in the history, which a mean and stddev would not.
 */
export class RobustZscoreDetector implements Detector {
  private readonly history: RollingHistory;
  private readonly minHistory: number;

  constructor(private readonly p: RobustZscoreParams) {
    this.history = new RollingHistory(p.window);
    this.minHistory = p.min_history ?? Math.min(DEFAULT_MIN_HISTORY, p.window);
  }

  observe(_t: number, value: number, opts: { learn?: boolean } = {}): DetectorResult {
    const result = this.judge(value);
    this.history.learn(value, opts);
    return result;
  }

  private judge(value: number): DetectorResult {
    const n = this.history.values.length;
    if (n < this.minHistory) return notReady(`learning: ${n} of ${this.minHistory} values needed`);
    const baseline = robustBaseline(this.history.values, this.p);
    const of = `the last ${n} values`;
    if (!Number.isFinite(value)) return notFinite(judgeRobust(baseline.median, baseline, this.p, of).expected, true);
    return judgeRobust(value, baseline, this.p, of);
  }
}

/** robustZscoreDetector: the default detector of the shipped checks and of `recsysops backtest`. */
export const robustZscoreDetector: DetectorPlugin<RobustZscoreParams> = {
  kind: 'robust-zscore',
  description:
    'rolling median ± threshold·1.4826·MAD of the last `window` values; score z^4/(z^4+threshold^4), 0.5 at the threshold',
  params: robustZscoreParams,
  create: (params) => new RobustZscoreDetector(params),
};
