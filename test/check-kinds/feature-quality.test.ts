import { featureQualityKind } from '../../src/check-kinds/feature-quality';
import { learnedRange } from '../../src/check-kinds/feature-reference';
import type { Features, RecEvent } from '../../src/events/contract';
import { MIN, runWindows, serving, streamingCheck, valueOf } from './helpers';

/** one window of `n` serving events, candidate i getting features(i) (a single candidate each) */
const windowOf = (n: number, features: (i: number) => Features, context: (i: number) => Features = () => ({})): RecEvent[] =>
  Array.from({ length: n }, (_, i) => serving([features(i)], context(i)));

const check = (def: Record<string, unknown>) => streamingCheck(featureQualityKind, { window: '1m', min_values: 1, ...def });

describe('feature-quality: null and zero rates', () => {
  test('a feature missing from some candidates counts as null, context features are named context.<name>', () => {
    const c = check({ measures: ['null_rate', 'zero_rate'] });
    // 4 events: a = 1, 0, null, (missing); context.hour = 0 in all four
    const [obs] = runWindows(c, [[serving([{ a: 1 }], { hour: 0 }), serving([{ a: 0 }], { hour: 0 }), serving([{ a: null }], { hour: 0 }), serving([{ b: 2 }], { hour: 0 })]]);
    expect(valueOf(obs, { feature: 'a', measure: 'null_rate' })).toBe(2 / 4);
    expect(valueOf(obs, { feature: 'a', measure: 'zero_rate' })).toBe(1 / 4);
    expect(valueOf(obs, { feature: 'context.hour', measure: 'zero_rate' })).toBe(1);
    expect(obs.find((o) => o.labels.feature === 'a' && o.labels.measure === 'null_rate')!.evidence![0]).toMatchObject({ name: 'feature=a', value: 0.5, note: '2 of 4 values null or missing' });
  });
});

describe('feature-quality: out-of-range rate', () => {
  test('a given range judges from the first window', () => {
    const c = check({ measures: ['out_of_range_rate'], range: { x: [0, 10] } });
    // x = 0..9 in range, then -1 and 11 out: 2 of 12
    const [obs] = runWindows(c, [windowOf(12, (i) => ({ x: i < 10 ? i : i === 10 ? -1 : 11 }))]);
    expect(valueOf(obs, { feature: 'x', measure: 'out_of_range_rate' })).toBe(2 / 12);
    expect(obs[0].details).toMatchObject({ range: [0, 10], judged: 12, matching: 2 });
    expect(obs[0].evidence).toEqual([{ name: 'feature=x', value: 2 / 12, note: '2 of 12 values outside [0, 10]' }]);
  });

  test('a learned range is quiet during the reference period, then judges against min/max widened by the margin', () => {
    // reference: 2 windows of x = 0..10 → quantiles [0, 1] = [0, 10], margin 0.1 → [-1, 11]
    const c = check({ measures: ['out_of_range_rate'], reference: { period: '2m', quantiles: [0, 1], margin: 0.1 } });
    const ref = windowOf(11, (i) => ({ x: i }));
    const after = windowOf(10, (i) => ({ x: [-1, 11, -1.5, 11.5, 100, 5, 5, 5, 5, 5][i] }));
    const [w1, w2, w3] = runWindows(c, [ref, ref, after]);
    expect(w1).toEqual([]);
    expect(w2).toEqual([]);
    // -1 and 11 are on the edge (inside); -1.5, 11.5 and 100 are outside: 3 of 10
    expect(valueOf(w3, { feature: 'x', measure: 'out_of_range_rate' })).toBe(0.3);
    expect(w3[0].details!.range).toEqual([-1, 11]);
  });

  test('learnedRange uses the quantiles of the sample (simple-statistics quantileSorted)', () => {
    // 1..10, quantiles 0.1 and 0.9 interpolate linearly between ranks: 1 + 9·0.1 = 1.9 and 1 + 9·0.9 = 9.1;
    // width 7.2, margin 0.1 → ±0.72
    const [lo, hi] = learnedRange([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [0.1, 0.9], 0.1);
    expect(lo).toBeCloseTo(1.18, 10);
    expect(hi).toBeCloseTo(9.82, 10);
  });

  test('a reference period in event time: each feature learns from its own first windows', () => {
    const c = check({ measures: ['out_of_range_rate'], reference: { period: '1m', quantiles: [0, 1], margin: 0 } });
    const [w1, w2, w3] = runWindows(c, [windowOf(5, () => ({ x: 1 })), windowOf(5, () => ({ x: 2, y: 7 })), windowOf(5, () => ({ x: 1, y: 8 }))]);
    expect(w1).toEqual([]);
    // x learned [1, 1] in window 1: 2 is outside; y is still learning
    expect(w2.map((o) => [o.labels.feature, o.value])).toEqual([['x', 1]]);
    expect(w3.map((o) => [o.labels.feature, o.value])).toEqual([['x', 0], ['y', 1]]);
  });
});

describe('feature-quality: type-change rate', () => {
  test('values of another JSON type than the established one; nulls are not a type change', () => {
    const c = check({ measures: ['type_change_rate'], reference: { period: '1m' } });
    const ref = windowOf(10, (i) => ({ x: i, s: 'a' }));
    // after: x is "3" (string) in 3 of 8 values, null in 2 (not counted: 3 of 6 non-null); s gets true once
    const after = windowOf(8, (i) => ({ x: i < 3 ? String(i) : i < 5 ? null : i, s: i === 0 ? true : 'a' }));
    const [w1, w2] = runWindows(c, [ref, after]);
    expect(w1).toEqual([]);
    expect(valueOf(w2, { feature: 'x', measure: 'type_change_rate' })).toBe(3 / 6);
    expect(valueOf(w2, { feature: 's', measure: 'type_change_rate' })).toBe(1 / 8);
    const x = w2.find((o) => o.labels.feature === 'x')!;
    // evidence: the features with the highest type-change rate first
    expect(x.evidence!.map((e) => e.name)).toEqual(['feature=x', 'feature=s']);
    expect(x.evidence![0].note).toBe('3 of 6 values: string ×3 where number was established');
  });
});

describe('feature-quality: new-category rate', () => {
  test('values never seen in the reference period, named in the evidence', () => {
    const c = check({ measures: ['new_category_rate'], reference: { period: '2m' } });
    const genres = ['drama', 'comedy', 'kids'];
    const ref = windowOf(9, (i) => ({ genre: genres[i % 3] }));
    const after = windowOf(10, (i) => ({ genre: ['horror', 'horror', 'horror', 'Drama', 'drama', 'comedy', 'kids', 'drama', 'comedy', 'kids'][i] }));
    const [, w2, w3] = runWindows(c, [ref, ref, after]);
    expect(w2).toEqual([]);
    expect(valueOf(w3, { feature: 'genre', measure: 'new_category_rate' })).toBe(4 / 10);
    expect(w3[0].evidence).toEqual([
      { name: 'genre=horror', value: 3, note: 'not seen in the reference period' },
      { name: 'genre=Drama', value: 1, note: 'not seen in the reference period' },
    ]);
    expect(w3[0].details!.new_values).toEqual({ horror: 3, Drama: 1 });
  });

  test('a string feature with more distinct values than max_categories is an id: no new-category series', () => {
    const c = check({ measures: ['new_category_rate', 'type_change_rate'], reference: { period: '1m', max_categories: 5 } });
    const [, w2] = runWindows(c, [windowOf(6, (i) => ({ id: `u${i}` })), windowOf(6, (i) => ({ id: `v${i}` }))]);
    expect(w2.map((o) => o.labels.measure)).toEqual(['type_change_rate']);
  });
});

describe('feature-quality: bounds and config', () => {
  test('at most max_features features are tracked', () => {
    const c = check({ measures: ['null_rate'], max_features: 2 });
    const [obs] = runWindows(c, [windowOf(3, () => ({ a: 1, b: 2, c: 3 }), () => ({ d: 4 }))]);
    expect(new Set(obs.map((o) => o.labels.feature))).toEqual(new Set(['context.d', 'a']));
  });

  test('windows with fewer than min_values values report nothing', () => {
    const c = check({ measures: ['null_rate'], min_values: 5 });
    const [obs] = runWindows(c, [windowOf(4, () => ({ a: null }))]);
    expect(obs).toEqual([]);
  });

  test('bad ranges and quantiles are rejected with what was expected', () => {
    const parse = (def: Record<string, unknown>) => featureQualityKind.schema.safeParse({ name: 'x', kind: 'feature-quality', ...def });
    const message = (r: ReturnType<typeof parse>) => (r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    expect(message(parse({ range: { x: [5, 1] } }))).toBe('range.x: expected [min, max] with min ≤ max');
    expect(message(parse({ reference: { quantiles: [0.9, 0.1] } }))).toMatch(/^reference\.quantiles: expected \[lower, upper\] quantiles/);
    expect(message(parse({ measures: ['nul_rate'] }))).toMatch(/^measures\.0: .*out_of_range_rate/);
    expect(parse({}).success).toBe(true);
  });

  test('the window length decides how many windows make the reference period', () => {
    const def = featureQualityKind.schema.parse({ name: 'x', kind: 'feature-quality', window: '5m' });
    expect(def.reference).toEqual({ period: 24 * 60 * MIN, quantiles: [0.001, 0.999], margin: 0.1, sample: 2000, max_categories: 1000 });
  });
});
