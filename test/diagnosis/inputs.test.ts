import { featurePsi, featureShifts, inputEvidence, psi } from '../../src/diagnosis/inputs';
import type { ServingEvent } from '../../src/events/contract';

const ev = (features: Array<Record<string, number | string | null>>, context: Record<string, number | string | null> = {}): ServingEvent => ({
  type: 'serving', ts: 0, request_id: 'r', user_id: 'u', model_version: 'v1', context,
  candidates: features.map((f, i) => ({ item_id: `i${i}`, features: f })), scores: features.map(() => 0.5), latency_ms: 1,
});

describe('PSI', () => {
  test('matches hand-computed values', () => {
    // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5)
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 10);
    expect(psi([0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4])).toBe(0);
    // the textbook example: 0.4/0.6 against 0.6/0.4 → 2 · 0.2 · ln(1.5)
    expect(psi([40, 60], [60, 40])).toBeCloseTo(0.4 * Math.log(1.5), 10);
    // an empty bin is floored at 1e-4 instead of dividing by zero
    expect(psi([100, 0], [50, 50])).toBeCloseTo((0.5 - 1) * Math.log(0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4), 10);
  });

  test('binned features: the same distribution is stable, nulls replacing values are a large shift', () => {
    const ref = Array.from({ length: 1000 }, (_, i) => i / 1000);
    expect(featurePsi(ref, ref)).toBeCloseTo(0, 10);
    expect(featurePsi(ref, ref.map((v, i) => (i % 2 ? null : v)))).toBeGreaterThan(1);
    expect(featurePsi(['a', 'b', 'a', 'b'], ['a', 'a', 'a', 'b'])).toBeCloseTo(psi([2, 2], [3, 1]), 10);
  });
});

describe('input evidence', () => {
  test('null, zero, out-of-range and type-violation rates of failing against reference inputs', () => {
    const reference = [ev([{ a: 1, b: 0.5, c: 'x' }, { a: 2, b: 0.7, c: 'y' }], { hour: 3 })];
    const failing = [ev([{ a: null, b: 0, c: 'x' }, { a: 9, b: 0, c: 3 }], { hour: 3 })];
    const e = inputEvidence(failing, reference);
    const by = (f: string) => e.find((x) => x.feature === f)!;
    expect(by('a').failing).toMatchObject({ null_rate: 0.5, out_of_range_rate: 0.5 });
    expect(by('b').failing).toMatchObject({ zero_rate: 1, out_of_range_rate: 1 });
    expect(by('c').failing).toMatchObject({ type_violation_rate: 0.5 });
    expect(by('context.hour').failing).toMatchObject({ null_rate: 0, zero_rate: 0 });
    expect(featureShifts(e, 0.1).map((s) => `${s.feature}:${s.measure}`)).toEqual(['b:zero_rate', 'a:null_rate', 'c:type_violation_rate']);
  });
});
