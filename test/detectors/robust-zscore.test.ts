import { createDetector } from '../../src/detectors';
import type { Detector } from '../../src/detectors/detector';
import { gaussian, seededRandom } from './seeded-random';

/**
 * H: 12 values. Sorted: 9 10 10 10 11 11 11 12 12 13 13 14 → median (11+11)/2 = 11.
 * |x − 11| sorted: 0 0 0 1 1 1 1 1 2 2 2 3 → MAD (1+1)/2 = 1.
 * scale = max(1.4826·1, 0.05·11 = 0.55, 1e-9) = 1.4826; band 11 ± 4·1.4826 = [5.0696, 16.9304].
 */
const H = [10, 12, 11, 13, 9, 10, 14, 11, 12, 10, 11, 13];
const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

function fed(values: number[], params: Record<string, unknown> = {}): Detector {
  const d = createDetector('robust-zscore', params);
  values.forEach((v, i) => d.observe(T0 + i * MIN, v));
  return d;
}

describe('robust-zscore', () => {
  test('is not ready before min_history (12) learned values, and never alerts then', () => {
    const d = createDetector('robust-zscore', {});
    for (let i = 0; i < 12; i++) {
      const r = d.observe(T0 + i * MIN, i === 11 ? 1e6 : H[i]);
      expect(r).toMatchObject({ ready: false, isAnomaly: false, score: 0, expected: null });
      expect(r.basis).toBe(`learning: ${i} of 12 values needed`);
    }
    // The 1e6 above was learned; the median of the 12 values is still 11 (1e6 replaced H[11] = 13).
    expect(d.observe(T0 + 12 * MIN, 11).ready).toBe(true);
  });

  test('band is median ± threshold·1.4826·MAD, computed by hand', () => {
    const d = fed(H);
    const r = d.observe(T0 + 12 * MIN, 16.9, { learn: false });
    expect(r.ready).toBe(true);
    expect(r.expected!.lower).toBeCloseTo(5.0696, 10);
    expect(r.expected!.upper).toBeCloseTo(16.9304, 10);
    expect(r.isAnomaly).toBe(false);
    expect(r.basis).toBe('median ± 4·1.4826·MAD of the last 12 values (median 11, MAD 1)');
    // 17: z = 6 / 1.4826 = 4.0469 > 4
    const spike = d.observe(T0 + 13 * MIN, 17, { learn: false });
    expect(spike.isAnomaly).toBe(true);
    const z = 6 / 1.4826;
    expect(spike.score).toBeCloseTo(z ** 4 / (z ** 4 + 4 ** 4), 12);
    expect(d.observe(T0 + 14 * MIN, 5, { learn: false }).isAnomaly).toBe(true); // z = 6/1.4826 below
  });

  test('score is in [0,1], monotone in |z|, 0.5 at the threshold, graded (not only 0/1)', () => {
    const d = fed(H);
    const scale = 1.4826;
    let prev = -1;
    for (let z = 0; z <= 12; z += 0.25) {
      const s = d.observe(T0, 11 + z * scale, { learn: false }).score;
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      expect(s).toBeGreaterThanOrEqual(prev);
      prev = s;
    }
    expect(d.observe(T0, 11, { learn: false }).score).toBe(0);
    expect(d.observe(T0, 11 + 4 * scale, { learn: false }).score).toBeCloseTo(0.5, 9);
    expect(d.observe(T0, 11 - 2 * scale, { learn: false }).score).toBeCloseTo(16 / (16 + 256), 9); // 0.0588
    expect(d.observe(T0, 11 + 8 * scale, { learn: false }).score).toBeCloseTo(4096 / (4096 + 256), 9); // 0.941
  });

  test('flags a spike in a noisy series, and no normal point', () => {
    const noise = gaussian(seededRandom(42));
    const d = createDetector('robust-zscore', {});
    const flagged: number[] = [];
    for (let i = 0; i < 300; i++) {
      const v = 1000 + 30 * noise() + (i === 200 ? 400 : 0);
      if (d.observe(T0 + i * MIN, v).isAnomaly) flagged.push(i);
    }
    expect(flagged).toEqual([200]);
  });

  test('direction=down ignores spikes up: score 0, upper side of the band unbounded', () => {
    const d = fed(H, { direction: 'down' });
    const up = d.observe(T0, 1000, { learn: false });
    expect(up).toMatchObject({ score: 0, isAnomaly: false });
    expect(up.expected!.upper).toBeNull();
    expect(up.expected!.lower).toBeCloseTo(5.0696, 10);
    expect(up.basis.startsWith('median − 4·1.4826·MAD')).toBe(true);
    expect(d.observe(T0, 4, { learn: false }).isAnomaly).toBe(true); // z = 7/1.4826 = 4.72
    const upOnly = fed(H, { direction: 'up' });
    expect(upOnly.observe(T0, 4, { learn: false })).toMatchObject({ score: 0, isAnomaly: false });
    expect(upOnly.observe(T0, 4, { learn: false }).expected!.lower).toBeNull();
  });

  test('MAD = 0 guard: a flat series uses 5% of |median| as the scale', () => {
    // 12 × 100: MAD 0 → scale max(0, 0.05·100 = 5, 1e-9) = 5 → band [80, 120]
    const d = fed(Array(12).fill(100));
    const tiny = d.observe(T0, 101, { learn: false });
    expect(tiny.isAnomaly).toBe(false);
    expect(tiny.score).toBeCloseTo(0.2 ** 4 / (0.2 ** 4 + 256), 12); // z = 1/5
    expect(tiny.expected).toEqual({ lower: 80, upper: 120 });
    expect(tiny.basis).toContain('MAD below the relative floor');
    expect(d.observe(T0, 121, { learn: false }).isAnomaly).toBe(true);
    // Without the relative floor only min_abs_scale (1e-9) remains: any change is "infinite".
    const unguarded = fed(Array(12).fill(100), { min_relative_scale: 0 });
    expect(unguarded.observe(T0, 100.001, { learn: false }).isAnomaly).toBe(true);
    // A flat series at 0 falls back to the absolute floor and stays finite.
    const zero = fed(Array(12).fill(0)).observe(T0, 0, { learn: false });
    expect(zero.score).toBe(0);
    expect(zero.expected).toEqual({ lower: -4e-9, upper: 4e-9 });
  });

  test('learn:false keeps the baseline: a long incident is still flagged at its end, not if learned', () => {
    const noise = gaussian(seededRandom(7));
    const normal = Array.from({ length: 24 }, () => 100 + 5 * noise());
    const hygienic = fed(normal);
    const learning = fed(normal);
    const before = hygienic.observe(T0, 100, { learn: false });
    let lastHygienic = before;
    let lastLearning = before;
    for (let i = 0; i < 30; i++) {
      lastHygienic = hygienic.observe(T0 + (30 + i) * MIN, 50, { learn: false });
      lastLearning = learning.observe(T0 + (30 + i) * MIN, 50);
    }
    expect(lastHygienic.isAnomaly).toBe(true);
    expect(lastLearning.isAnomaly).toBe(false);
    expect(hygienic.observe(T0, 100, { learn: false })).toEqual(before);
  });

  test('the window rolls: only the last `window` learned values count', () => {
    // window 4, min_history 4: after 1,2,3,4,100,100,100,100 the window is all 100.
    const d = fed([1, 2, 3, 4, 100, 100, 100, 100], { window: 4, min_history: 4 });
    expect(d.observe(T0, 100, { learn: false }).expected).toEqual({ lower: 80, upper: 120 });
  });

  test('min_history defaults to min(12, window)', () => {
    const d = fed([10, 10, 10, 10], { window: 5 });
    expect(d.observe(T0, 10).ready).toBe(false); // 4 of 5
    expect(d.observe(T0, 10).ready).toBe(true);
  });

  test('a NaN value is not judged and not learned', () => {
    const d = fed(H);
    const r = d.observe(T0, NaN);
    expect(r).toMatchObject({ score: 0, isAnomaly: false, ready: true });
    expect(d.observe(T0, 17, { learn: false }).isAnomaly).toBe(true);
  });
});
