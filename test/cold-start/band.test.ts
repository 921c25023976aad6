import { poissonLowerTail, quantileBand } from '../../src/cold-start/band';
import { cumulative, CurveBook } from '../../src/cold-start/curves';
import { H, T0 } from './events';

describe('quantile band and Poisson tail', () => {
  test('the band is the interpolated low quantile, median and high quantile of the launches', () => {
    // 1..10: position (n−1)·q → 0.9 → 1.9; median 5.5; 8.1 → 9.1
    expect(quantileBand([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 0.1)).toEqual({ low: 1.9, median: 5.5, high: 9.1, n: 10 });
  });

  test('P(X ≤ k) of a Poisson count matches hand-computed values', () => {
    expect(poissonLowerTail(0, 3)).toBeCloseTo(Math.exp(-3), 12); // 0.049787
    expect(poissonLowerTail(2, 3)).toBeCloseTo(Math.exp(-3) * (1 + 3 + 4.5), 12); // 0.42319
    expect(poissonLowerTail(5, 0)).toBe(1);
    // a large expectation does not underflow: P(X ≤ 1000 | 1000) is a little over one half
    expect(poissonLowerTail(1000, 1000)).toBeGreaterThan(0.5);
    expect(poissonLowerTail(1000, 1000)).toBeLessThan(0.52);
  });
});

describe('launch curves', () => {
  test('impressions land in the age bucket since launch; before launch and past the horizon they are ignored', () => {
    const book = new CurveBook(H, 3, 10);
    book.track('a', T0, 'drama');
    for (const t of [T0 - 1, T0, T0 + H - 1, T0 + H, T0 + 2.5 * H, T0 + 3 * H]) book.count('a', t, 'impressions');
    book.count('unknown', T0, 'impressions');
    const c = [...book.values()][0];
    expect([...c.impressions]).toEqual([2, 1, 1]);
    expect([...cumulative(c.impressions)]).toEqual([2, 3, 4]);
    expect(book.reached(c, T0 + 2.5 * H)).toBe(2);
    expect(book.reached(c, T0 + 9 * H)).toBe(3);
  });

  test('when full, the earliest launch is forgotten first', () => {
    const book = new CurveBook(H, 2, 2);
    book.track('late', T0 + 2 * H, '');
    book.track('early', T0, '');
    book.track('middle', T0 + H, '');
    expect([...book.values()].map((c) => c.id).sort()).toEqual(['late', 'middle']);
  });
});
