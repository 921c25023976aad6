import { RecentCache } from '../../src/util/recent-cache';

describe('RecentCache: the values of the last few keys', () => {
  test('finds a key by all its strings, keeps the last `size` keys, round robin, and forgets all on clear', () => {
    const c = new RecentCache<number>(2);
    expect(c.get(['home', 'v1'])).toBeUndefined();
    const key = ['home', 'v1'];
    c.set(key, 1);
    key[1] = 'v2'; // the cache keeps a copy: the caller may reuse its array
    c.set(key, 2);
    expect(c.get(['home', 'v1'])).toBe(1);
    expect(c.get(['home', 'v2'])).toBe(2);
    expect(c.get(['search', 'v1'])).toBeUndefined();
    c.set(['search', 'v1'], 3); // replaces the oldest, home/v1
    expect(c.get(['home', 'v1'])).toBeUndefined();
    expect(c.get(['home', 'v2'])).toBe(2);
    expect(c.get(['search', 'v1'])).toBe(3);
    c.clear();
    expect(c.get(['home', 'v2'])).toBeUndefined();
    expect(c.get(['search', 'v1'])).toBeUndefined();
  });
});
