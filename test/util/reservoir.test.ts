import { Reservoir } from '../../src/util/reservoir';

describe('Reservoir', () => {
  test('keeps at most its size, counts everything offered, and is the same on every run', () => {
    const sample = () => {
      const r = new Reservoir<number>(100);
      for (let i = 0; i < 10_000; i++) r.offer(i);
      return r;
    };
    const a = sample();
    expect(a.items).toHaveLength(100);
    expect(a.seen).toBe(10_000);
    expect(sample().items).toEqual(a.items);
  });

  test('is uniform: each tenth of the stream gets about a tenth of the sample', () => {
    const counts = new Array(10).fill(0);
    for (let run = 0; run < 50; run++) {
      const r = new Reservoir<number>(100, run + 1);
      for (let i = 0; i < 10_000; i++) r.offer(i);
      for (const x of r.items) counts[Math.floor(x / 1000)]++;
    }
    // 5,000 sampled items over 10 deciles: 500 each expected; ±25% is far outside chance
    for (const c of counts) expect(c).toBeGreaterThan(375);
    for (const c of counts) expect(c).toBeLessThan(625);
  });
});
