import { LabelSets } from '../../src/util/label-sets';

type Ev = Record<string, string | undefined>;

describe('LabelSets: an id per distinct label set', () => {
  const by = ['surface', 'model_version'];
  const make = (max = 10) => new LabelSets<Ev>(by, max, (e, i) => e[by[i]]);

  test('the same values get the same id; a missing value reads as "none"', () => {
    const s = make();
    const a = s.idOf({ surface: 'home', model_version: 'v1' });
    const b = s.idOf({ surface: 'home', model_version: 'v2' });
    const c = s.idOf({ surface: 'search', model_version: 'v1' });
    const d = s.idOf({ model_version: 'v1' });
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(s.idOf({ surface: 'home', model_version: 'v1', other: 'x' })).toBe(a);
    expect(s.labels(d)).toEqual({ surface: 'none', model_version: 'v1' });
    expect(s.key(b)).toBe('model_version=v2,surface=home');
    expect([...s.entries()].map(([id, l]) => [id, l.surface])).toEqual([
      [a, 'home'],
      [b, 'home'],
      [c, 'search'],
      [d, 'none'],
    ]);
  });

  test('past `max` sets a new one takes the id of the set seen least recently', () => {
    const s = make(2);
    const a = s.idOf({ surface: 'a', model_version: 'v' });
    const b = s.idOf({ surface: 'b', model_version: 'v' });
    expect(s.idOf({ surface: 'a', model_version: 'v' })).toBe(a); // a is now the more recent
    const c = s.idOf({ surface: 'a', model_version: 'w' }); // shares the surface with a
    expect(c).toBe(b);
    expect(s.size).toBe(2);
    expect(s.labels(c)).toEqual({ surface: 'a', model_version: 'w' });
    expect(s.idOf({ surface: 'a', model_version: 'v' })).toBe(a); // a's path survived b's removal
    expect(s.idOf({ surface: 'b', model_version: 'v' })).toBe(c); // b is back, in place of c (now the oldest)
    expect(s.labels(c)).toEqual({ surface: 'b', model_version: 'v' });
    expect([...s.entries()].map(([, l]) => `${l.surface}/${l.model_version}`)).toEqual(['a/v', 'b/v']);
  });

  test('runs of the same labels keep the set recent, and a replaced set is not answered for its old labels', () => {
    const s = make(2);
    const a = s.idOf({ surface: 'a', model_version: 'v' });
    const b = s.idOf({ surface: 'b', model_version: 'v' });
    for (let i = 0; i < 3; i++) expect(s.idOf({ surface: 'b', model_version: 'v' })).toBe(b); // a run: b stays the more recent
    const c = s.idOf({ surface: 'c', model_version: 'v' }); // replaces a, the least recent
    expect(c).toBe(a);
    expect(s.idOf({ surface: 'c', model_version: 'v' })).toBe(c);
    const again = s.idOf({ surface: 'a', model_version: 'v' }); // a is new again: it replaces b
    expect(again).toBe(b);
    expect(s.labels(again)).toEqual({ surface: 'a', model_version: 'v' });
    expect(s.labels(c)).toEqual({ surface: 'c', model_version: 'v' });
  });

  test('interleaved sets are answered alike, and one replaced while interleaved is not answered for its old labels', () => {
    const s = make(3);
    const ev = (surface: string) => ({ surface, model_version: 'v' });
    const a = s.idOf(ev('a'));
    const b = s.idOf(ev('b'));
    for (let i = 0; i < 5; i++) {
      expect(s.idOf(ev('a'))).toBe(a);
      expect(s.idOf(ev('b'))).toBe(b);
    }
    const c = s.idOf(ev('c'));
    const d = s.idOf(ev('d')); // a fourth set: replaces a, the least recent of a, b, c
    expect(d).toBe(a);
    expect(s.idOf(ev('b'))).toBe(b);
    expect(s.idOf(ev('d'))).toBe(d);
    expect(s.labels(d)).toEqual({ surface: 'd', model_version: 'v' });
    const a2 = s.idOf(ev('a')); // a is new again: it replaces c, now the least recent
    expect(a2).toBe(c);
    expect(s.labels(a2)).toEqual({ surface: 'a', model_version: 'v' });
    expect(s.idOf(ev('d'))).toBe(d);
  });

  test('no names: one set, the empty one', () => {
    const s = new LabelSets<Ev>([], 5, () => undefined);
    expect([s.idOf({}), s.idOf({ surface: 'x' })]).toEqual([0, 0]);
    expect(s.labels(0)).toEqual({});
  });
});
