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

  test('stays uniform on a stream thousands of times its size', () => {
    const counts = new Array(10).fill(0);
    for (let run = 0; run < 20; run++) {
      const r = new Reservoir<number>(300, run + 7);
      for (let i = 0; i < 1_000_000; i++) r.offer(i);
      expect(r.items).toHaveLength(300);
      for (const x of r.items) counts[Math.floor(x / 100_000)]++;
    }
    // 6,000 sampled items over 10 deciles: 600 each expected
    for (const c of counts) expect(c).toBeGreaterThan(480);
    for (const c of counts) expect(c).toBeLessThan(720);
  });

  test('slot() places items as offer() does, so a caller can skip reading a value that is not kept', () => {
    const offered = new Reservoir<number>(50, 3);
    const slotted = new Reservoir<number>(50, 3);
    let read = 0;
    for (let i = 0; i < 20_000; i++) {
      offered.offer(i);
      const j = slotted.slot();
      if (j >= 0) (slotted.items[j] = i), read++;
    }
    expect(slotted.items).toEqual(offered.items);
    expect(slotted.seen).toBe(20_000);
    // about 50 · (1 + ln(20000 / 50)) ≈ 350 items kept on the way, not 20,000
    expect(read).toBeLessThan(1000);
  });

  test('a sample of size 0 keeps nothing', () => {
    const r = new Reservoir<number>(0);
    for (let i = 0; i < 100; i++) r.offer(i);
    expect(r.items).toEqual([]);
    expect(r.seen).toBe(100);
  });
});
