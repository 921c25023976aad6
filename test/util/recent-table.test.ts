import { RecentTable } from '../../src/util/recent-table';

describe('RecentTable: recent keys with numbers, in typed arrays', () => {
  test('finds a key by all its parts, in order, and keeps its columns', () => {
    const t = new RecentTable(100, { ts: true, num: true, tag: true });
    const slot = t.key().add('r1').add('item-9').insert();
    t.setNum(slot, 0.25);
    t.setTag(slot, 4);
    const hit = t.key().add('r1').add('item-9').find();
    expect(hit).toBe(slot);
    expect([t.ts(hit), t.num(hit), t.tag(hit)]).toEqual([0, 0.25, 4]);
    expect(t.key().add('item-9').add('r1').find()).toBe(-1); // parts in another order
    expect(t.key().add('r1item-9').find()).toBe(-1); // the parts run together
    expect(t.key().add('r1').find()).toBe(-1); // a prefix
    expect(t.key().add('r1').add('item-9').insert()).toBe(slot); // inserting again: the same slot
    expect(t.size).toBe(1);
  });

  test('numbers are keys too: epoch milliseconds differing by one are different keys', () => {
    const t = new RecentTable(10);
    t.key().add('e').add(1_764_547_200_000).insert();
    expect(t.key().add('e').add(1_764_547_200_000).find()).toBeGreaterThanOrEqual(0);
    expect(t.key().add('e').add(1_764_547_200_001).find()).toBe(-1);
    expect(t.key().add('e').add(1_764_547_200_000 + 2 ** 32).find()).toBe(-1); // the high half counts
  });

  test('remembers at least the last `capacity` keys and at most twice that', () => {
    const t = new RecentTable(1000);
    for (let i = 0; i < 10_000; i++) t.key().add(`k${i}`).insert();
    const remembered = Array.from({ length: 10_000 }, (_, i) => t.key().add(`k${i}`).find() >= 0);
    expect(remembered.slice(-1000).every(Boolean)).toBe(true);
    expect(remembered.filter(Boolean).length).toBeLessThanOrEqual(2000);
    expect(remembered.slice(0, 8000).some(Boolean)).toBe(false);
    expect(t.size).toBeLessThanOrEqual(2000);
  });

  test('no false matches among many keys (53 bits of two hashes per key)', () => {
    const t = new RecentTable(200_000);
    for (let i = 0; i < 200_000; i++) t.key().add(`r${i}`).add(`i${i % 977}`).insert();
    let false_ = 0;
    for (let i = 0; i < 200_000; i++) if (t.key().add(`r${i}`).add(`i${(i + 1) % 977}`).find() >= 0) false_++;
    expect(false_).toBe(0);
  });

  test('anchored keys of one request sit side by side, and are still told apart', () => {
    const t = new RecentTable(20_000, { num: true });
    // 2,000 requests of 10 impressions each: the table's whole capacity
    for (let r = 0; r < 2000; r++)
      for (let i = 0; i < 10; i++) t.setNum(t.key().add(`r${r}`).anchor().add(`i${i}`).insert(), r * 10 + i);
    let found = 0;
    let together = 0;
    for (let r = 0; r < 2000; r++) {
      const slots = Array.from({ length: 10 }, (_, i) => t.key().add(`r${r}`).anchor().add(`i${i}`).find());
      found += slots.filter((s, i) => s >= 0 && t.num(s) === r * 10 + i).length;
      // a slot holds 2 numbers (the key, num): slot / 2 is its index, index / 16 its block
      const blocks = slots.map((s) => Math.floor(s / 2 / 16));
      together += Math.max(...blocks.map((b) => blocks.filter((x) => x === b).length));
    }
    expect(found).toBe(20_000);
    // most of a request's keys share one 16-slot block (the rest overflowed to other blocks)
    expect(together / 2000).toBeGreaterThan(6); // unanchored keys: about 1
    // the anchor is part of where a key lives: the same parts unanchored, or anchored elsewhere, are other keys
    expect(t.key().add('r7').add('i3').find()).toBe(-1);
    expect(t.key().add('r7').add('i3').anchor().find()).toBe(-1);
    expect(t.key().add('r7').anchor().add('i10').find()).toBe(-1);
  });

  test('the keys of one anchor fill whole blocks, one after the other, and are all found', () => {
    const t = new RecentTable(1000, { num: true });
    // 100 keys of one request: more than six blocks of 16
    for (let i = 0; i < 100; i++) t.setNum(t.key().add('r1').anchor().add(`i${i}`).insert(), i);
    const slots = Array.from({ length: 100 }, (_, i) => t.key().add('r1').anchor().add(`i${i}`).find());
    expect(slots.map((s) => t.num(s))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const blocks = new Set(slots.map((s) => Math.floor(s / 2 / 16)));
    expect(blocks.size).toBe(7); // 16 × 6 + 4: only the last block has room left
    // a key not there is told apart after walking all seven
    expect(t.key().add('r1').anchor().add('i100').find()).toBe(-1);
    expect(t.size).toBe(100);
  });

  test('earlyWithinMs counts keys dropped while still recent', () => {
    const t = new RecentTable(2, { ts: true, earlyWithinMs: 10 });
    // ts 0, 1 fill the young generation; 2, 3 the next one; the fifth key drops the first two
    for (let i = 0; i < 5; i++) {
      t.note(i);
      t.setTs(t.key().add(`k${i}`).insert(), i);
    }
    expect(t.evictedEarly).toBe(2);
    const late = new RecentTable(2, { ts: true, earlyWithinMs: 10 });
    for (const ts of [0, 1, 100, 101, 102]) {
      late.note(ts);
      late.setTs(late.key().add(`k${ts}`).insert(), ts);
    }
    expect(late.evictedEarly).toBe(0); // ts 0 and 1 were 100 ms behind: past the look-back anyway
  });

  test('findOrAdd finds a key in either generation, or adds it to the young one', () => {
    const t = new RecentTable(3, { num: true });
    const first = t.key().add('a').findOrAdd();
    expect(t.added).toBe(true);
    t.setNum(first, 7);
    expect(t.key().add('a').findOrAdd()).toBe(first); // found, not added again
    expect(t.added).toBe(false);
    expect(t.size).toBe(1);
    for (const k of ['b', 'c', 'd', 'e']) t.key().add(k).findOrAdd(); // 'a' goes to the old generation with b, c
    const again = t.key().add('a').findOrAdd();
    expect(t.added).toBe(false);
    expect(t.num(again)).toBe(7);
    for (const k of ['f', 'g', 'h']) t.key().add(k).findOrAdd(); // the generation holding 'a' is dropped
    t.key().add('a').findOrAdd();
    expect(t.added).toBe(true);
    // every key added is found by find(), however the generations turned
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const u = new RecentTable(10);
    for (const k of keys) u.key().add(k).findOrAdd();
    expect(keys.slice(-10).every((k) => u.key().add(k).find() >= 0)).toBe(true);
  });

  test('its memory is resident from the start: every page is mapped when the table is made, not at the first key on it', () => {
    const before = process.memoryUsage().rss;
    const t = new RecentTable(2_000_000, { num: true, num2: true }); // 2 × 2^22 slots × (3 numbers + a fingerprint byte): 209 MB
    const grown = process.memoryUsage().rss - before;
    // untouched, it grew 2 MB; a collection meanwhile may hand some of the process's memory back (27 MB seen)
    expect(grown).toBeGreaterThan(100 * 2 ** 20);
    expect(t.size).toBe(0);
  });
});
