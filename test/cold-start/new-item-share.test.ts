import { newItemShareKind } from '../../src/check-kinds/cold-start-new-item-share';
import { feed, H, imp, item, M, make, T0 } from './events';

const DAY = 24 * H;

describe('new-item-share: share of impressions going to recently launched items', () => {
  test('impressions of items launched within max_age ÷ all impressions, per window', () => {
    const c = make(newItemShareKind, { window: '15m', max_age: '7d', min_impressions: 10 });
    feed(c, [
      item('old', T0 - 30 * DAY, { ts: T0 }),
      item('week-old', T0 - 8 * DAY, { ts: T0 }),
      item('new', T0 - DAY, { ts: T0 }),
      item('announced', T0 + H, { ts: T0 }),
      ...Array.from({ length: 20 }, (_, i) => imp('old', T0 + i * 10_000)),
      ...Array.from({ length: 10 }, (_, i) => imp('week-old', T0 + i * 10_000)),
      ...Array.from({ length: 6 }, (_, i) => imp('new', T0 + i * 10_000)),
      ...Array.from({ length: 4 }, (_, i) => imp('announced', T0 + i * 10_000)), // shown before its launch: not new yet
    ]);
    const [o] = c.close(T0, T0 + 15 * M);
    expect(o.value).toBeCloseTo(6 / 40, 12);
    expect(o.details).toMatchObject({ impressions: 40, new_item_impressions: 6 });
  });

  test('a window with fewer than min_impressions gives no observation', () => {
    const c = make(newItemShareKind, { window: '15m', min_impressions: 10 });
    feed(c, Array.from({ length: 9 }, (_, i) => imp('x', T0 + i)));
    expect(c.close(T0, T0 + 15 * M)).toEqual([]);
  });
});
