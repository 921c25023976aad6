import { featureUnits, shapley, swapFeatures } from '../../src/diagnosis/attribution';
import { ksDistance, spearman } from '../../src/diagnosis/health';
import type { ModelRequest } from '../../src/model/protocol';

describe('Shapley estimate', () => {
  const rng = () => {
    let s = 1;
    return () => ((s = (s * 48271) % 2147483647) / 2147483647);
  };

  test('an additive function gives each player its own contribution, even from sampled permutations', async () => {
    const w = [0.5, 0.3, 0.15, 0.05, 0, 0, 0, 0];
    const r = await shapley(8, (m) => m.reduce((s, i) => s + w[i], 0), { permutations: 10, random: rng() });
    expect(r.exact).toBe(false);
    r.values.forEach((v, i) => expect(v).toBeCloseTo(w[i], 10));
  });

  test('interacting players share the joint effect: exact values when every permutation fits', async () => {
    // f = 1 only when a and b are both present, plus c alone adds 0.2: φ = (0.5, 0.5, 0.2)
    const f = (m: number[]) => (m.includes(0) && m.includes(1) ? 1 : 0) + (m.includes(2) ? 0.2 : 0);
    const r = await shapley(3, f, { permutations: 6, random: rng() });
    expect(r.exact).toBe(true);
    expect(r.values.map((v) => +v.toFixed(10))).toEqual([0.5, 0.5, 0.2]);
    // a substitute pair (either one restores it all): f = max(a, b) → 0.5 each
    const g = await shapley(2, (m) => (m.length ? 1 : 0), { permutations: 2, random: rng() });
    expect(g.values).toEqual([0.5, 0.5]);
  });

  test('sampled values still add up to the total effect (efficiency)', async () => {
    const f = (m: number[]) => (m.includes(0) && m.includes(3) ? 0.6 : 0) + m.length * 0.05;
    const r = await shapley(7, f, { permutations: 20, random: rng() });
    expect(r.values.reduce((a, b) => a + b, 0)).toBeCloseTo(f([0, 1, 2, 3, 4, 5, 6]), 10);
  });
});

describe('feature units and swaps', () => {
  test('numbered features form prefix groups', () => {
    expect(featureUnits(['item_emb_1', 'item_emb_0', 'user_item_affinity', 'context.slot_0', 'context.slot_1', 'x_1'])).toEqual([
      { name: 'context.slot_*', features: ['context.slot_0', 'context.slot_1'] },
      { name: 'item_emb_*', features: ['item_emb_0', 'item_emb_1'] },
      { name: 'user_item_affinity', features: ['user_item_affinity'] },
      { name: 'x_1', features: ['x_1'] },
    ]);
  });

  test('a swap takes the unit from the reference request, candidate by candidate, and leaves the rest', () => {
    const req = (id: string, a: number | null, b: number, hour: number): ModelRequest => ({
      request_id: id, user_id: 'u', context: { hour }, candidates: [{ item_id: 'i', features: { a, b } }, { item_id: 'j', features: { a, b: b + 1 } }],
    });
    const failing = [req('f', null, 0, 1)];
    const out = swapFeatures(failing, [req('r', 0.7, 5, 9)], ['a', 'context.hour']);
    expect(out[0].context).toEqual({ hour: 9 });
    expect(out[0].candidates.map((c) => c.features)).toEqual([{ a: 0.7, b: 0 }, { a: 0.7, b: 1 }]);
    expect(failing[0].candidates[0].features.a).toBeNull(); // inputs untouched
  });
});

describe('health metrics', () => {
  test('KS distance and rank correlation on known values', () => {
    expect(ksDistance([1, 2, 3, 4], [1, 2, 3, 4])).toBe(0);
    expect(ksDistance([1, 2], [3, 4])).toBe(1);
    expect(ksDistance([1, 2, 3, 4], [3, 4, 5, 6])).toBe(0.5);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
