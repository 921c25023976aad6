import { createDetector, DetectorParamsError } from '../../src/detectors';

const T = Date.UTC(2024, 0, 1);

describe('threshold', () => {
  test('is always ready; 0 inside the band (bounds included)', () => {
    const d = createDetector('threshold', { min: 10, max: 20 });
    for (const v of [10, 15, 20]) {
      expect(d.observe(T, v)).toEqual({
        score: 0,
        isAnomaly: false,
        expected: { lower: 10, upper: 20 },
        ready: true,
        basis: 'static bounds [10, 20]',
      });
    }
  });

  test('score outside is 1 − 0.5^(d/0.1), d relative to the bound: 0.5 at 10% beyond', () => {
    const d = createDetector('threshold', { min: 10, max: 20 });
    // 22: 2 beyond max 20 → d = 0.1 → 0.5
    expect(d.observe(T, 22)).toMatchObject({ isAnomaly: true });
    expect(d.observe(T, 22).score).toBeCloseTo(0.5, 12);
    // 26: d = 6/20 = 0.3 → 1 − 0.5^3 = 0.875
    expect(d.observe(T, 26).score).toBeCloseTo(0.875, 12);
    // 9: 1 below min 10 → d = 0.1 → 0.5
    expect(d.observe(T, 9).score).toBeCloseTo(0.5, 12);
    // barely outside is an anomaly with a small score; far outside approaches 1
    const barely = d.observe(T, 20.001);
    expect(barely.isAnomaly).toBe(true);
    expect(barely.score).toBeGreaterThan(0);
    expect(barely.score).toBeLessThan(0.01);
    expect(d.observe(T, 1e6).score).toBeCloseTo(1, 12);
  });

  test('score is monotone in the distance outside', () => {
    const d = createDetector('threshold', { max: 100 });
    let prev = 0;
    for (let v = 100; v < 200; v += 5) {
      const s = d.observe(T, v).score;
      expect(s).toBeGreaterThanOrEqual(prev);
      expect(s).toBeLessThanOrEqual(1);
      prev = s;
    }
  });

  test('a bound of 0 is relative to the band width, or absolute without one', () => {
    // [0, 10], value −1: d = 1/10 = 0.1 → 0.5
    expect(createDetector('threshold', { min: 0, max: 10 }).observe(T, -1).score).toBeCloseTo(0.5, 12);
    // max 0 alone, value 0.05: d = 0.05/1 → 1 − 0.5^0.5 = 0.29289
    const r = createDetector('threshold', { max: 0 }).observe(T, 0.05);
    expect(r.score).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(r.expected).toEqual({ lower: null, upper: 0 });
    expect(r.basis).toBe('static bound ≤ 0');
  });

  test('direction=up ignores the lower bound: score 0 below it and the lower side is null', () => {
    const d = createDetector('threshold', { min: 10, max: 20, direction: 'up' });
    expect(d.observe(T, 0)).toMatchObject({ score: 0, isAnomaly: false, expected: { lower: null, upper: 20 } });
    expect(d.observe(T, 30).isAnomaly).toBe(true);
    const down = createDetector('threshold', { min: 10, max: 20, direction: 'down' });
    expect(down.observe(T, 30)).toMatchObject({ score: 0, isAnomaly: false, expected: { lower: 10, upper: null } });
  });

  test('cross-field rules: a bound is required, min ≤ max, the watched side needs its bound', () => {
    const problems = (params: unknown) => {
      try {
        createDetector('threshold', params);
      } catch (err) {
        return (err as DetectorParamsError).problems;
      }
      return [];
    };
    expect(problems({})).toEqual([{ path: 'params', message: 'at least one of min or max is required' }]);
    expect(problems({ min: 5, max: 1 })).toEqual([{ path: 'params.min', message: 'min (5) must not exceed max (1)' }]);
    expect(problems({ min: 5, direction: 'up' })).toEqual([{ path: 'params.max', message: 'direction "up" needs max' }]);
    expect(problems({ max: 5, mx: 3 })).toEqual([{ path: 'params.mx', message: 'unknown parameter (did you mean "max"?)' }]);
  });
});
