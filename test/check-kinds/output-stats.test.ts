import { gini } from '../../src/check-kinds/gini';
import { effectiveItems } from '../../src/check-kinds/popularity-concentration';
import { PositionHistogram } from '../../src/check-kinds/position-histogram';
import { BoundedCounter } from '../../src/check-kinds/bounded-counter';

describe('gini', () => {
  test('is 0 for even exposure, (n−1)/n when one item has everything, and 0.25 for 1,2,3,4', () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 4])).toBe(0.75);
    // sorted 1,2,3,4: Σ(2i−n−1)x = −3·1 −1·2 +1·3 +3·4 = 10; n·Σx = 4·10 = 40
    expect(gini([4, 1, 3, 2])).toBe(0.25);
  });

  test('is NaN with nothing to measure', () => {
    expect(gini([])).toBeNaN();
    expect(gini([0, 0])).toBeNaN();
  });
});

test('effectiveItems is 1/Σp² from the unbiased Σn(n−1)/(N(N−1))', () => {
  // two items shown 10 times each: Σn(n−1) = 180, N(N−1) = 380
  expect(effectiveItems([10, 10])).toBeCloseTo(380 / 180, 10);
  expect(effectiveItems([1, 1, 1])).toBeNaN(); // no item seen twice: no estimate
});

describe('PositionHistogram', () => {
  const h = new PositionHistogram(5);
  for (const p of [0, 1, 1, 2, 9]) h.add(p); // 9 is counted as 5, the last bucket

  test('mean, quantile and share from position k', () => {
    expect(h.mean()).toBeCloseTo((0 + 1 + 1 + 2 + 5) / 5, 10);
    expect(h.quantile(0.5)).toBe(1); // 3 of 5 at or above position 1
    expect(h.quantile(0.9)).toBe(5);
    expect(h.shareFrom(2)).toBe(0.4);
    expect(h.shareFrom(0)).toBe(1);
  });

  test('is NaN when empty', () => {
    const empty = new PositionHistogram(3);
    expect([empty.mean(), empty.quantile(0.5), empty.shareFrom(1)]).toEqual([NaN, NaN, NaN]);
  });
});

test('BoundedCounter counts the first `max` keys and puts the rest in overflow', () => {
  const c = new BoundedCounter(2);
  for (const k of ['a', 'b', 'c', 'a', 'c', 'b', 'a']) c.add(k);
  expect([c.size, c.get('a'), c.get('b'), c.get('c'), c.overflow, c.total, c.capped]).toEqual([2, 3, 2, 0, 2, 7, true]);
  expect(c.top(5)).toEqual([['a', 3], ['b', 2]]);
});

describe('BoundedCounter.top', () => {
  test('the n most frequent keys, ties by key, the same as sorting every key', () => {
    const c = new BoundedCounter(10_000);
    let x = 7;
    for (let i = 0; i < 5_000; i++) {
      x = (x * 48271) % 2147483647;
      c.add(`k${x % 300}`, 1 + (x % 3));
    }
    const sorted = [...c.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const n of [0, 1, 5, 299, 300, 400]) expect(c.top(n)).toEqual(sorted.slice(0, n));
  });
});
