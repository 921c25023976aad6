import { createDetector } from '../../src/detectors';

const T = Date.UTC(2024, 0, 1);

describe('rate-of-change', () => {
  test('not ready before the first learned value', () => {
    const d = createDetector('rate-of-change', {});
    expect(d.observe(T, 100)).toMatchObject({ ready: false, isAnomaly: false, score: 0, expected: null });
  });

  test('change vs the previous value: 100 → 160 is +60% > 50%', () => {
    const d = createDetector('rate-of-change', {});
    d.observe(T, 100);
    const r = d.observe(T + 1, 160, { learn: false });
    // c = 0.6: score 0.6^4 / (0.6^4 + 0.5^4) = 0.1296 / 0.1921 = 0.674648…
    expect(r.isAnomaly).toBe(true);
    expect(r.score).toBeCloseTo(0.1296 / 0.1921, 12);
    expect(r.expected).toEqual({ lower: 50, upper: 150 });
    expect(r.basis).toBe('±50% of the previous value 100');
    expect(d.observe(T + 1, 150, { learn: false })).toMatchObject({ isAnomaly: false, score: 0.5 });
    expect(d.observe(T + 1, 140, { learn: false }).isAnomaly).toBe(false);
  });

  test('lookback 3 compares with the mean of the last 3 learned values', () => {
    const d = createDetector('rate-of-change', { lookback: 3, max_change: 0.2 });
    for (const v of [1000, 90, 100, 110]) d.observe(T, v); // window keeps 90, 100, 110 → mean 100
    const r = d.observe(T, 125, { learn: false });
    expect(r.expected).toEqual({ lower: 80, upper: 120 });
    expect(r.isAnomaly).toBe(true);
    expect(r.basis).toBe('±20% of the mean 100 of the last 3 values');
  });

  test('direction=down ignores rises; learn:false keeps the reference', () => {
    const d = createDetector('rate-of-change', { direction: 'down' });
    d.observe(T, 100);
    expect(d.observe(T, 1000, { learn: false })).toMatchObject({ score: 0, isAnomaly: false, expected: { lower: 50, upper: null } });
    expect(d.observe(T, 40, { learn: false }).isAnomaly).toBe(true);
    expect(d.observe(T, 40, { learn: false }).isAnomaly).toBe(true); // still vs 100
    d.observe(T, 40); // learned: the reference becomes 40
    expect(d.observe(T, 40).isAnomaly).toBe(false);
  });

  test('a reference of 0 uses min_abs_base: any change is huge but the score stays ≤ 1', () => {
    const d = createDetector('rate-of-change', {});
    d.observe(T, 0);
    const r = d.observe(T, 1);
    expect(r.isAnomaly).toBe(true);
    expect(r.score).toBeLessThanOrEqual(1);
    expect(r.score).toBeCloseTo(1, 9);
  });
});
