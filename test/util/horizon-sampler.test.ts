import { HorizonSampler } from '../../src/util/horizon-sampler';
import { seededRandom } from '../detectors/seeded-random';

const HOUR = 3_600_000;

/**
 * feed plays a table's part: `perHour` distinct keys an hour for `hours`, each a random sample hash;
 * the ones the sampler remembers are kept (new to the table). Returns the keys kept in the last hour.
 */
function feed(s: HorizonSampler, from: number, hours: number, perHour: number, rand: () => number): number {
  const n = Math.round(hours * perHour);
  let keptLastHour = 0;
  for (let i = 0; i < n; i++) {
    const ts = from + (i * HOUR) / perHour;
    const sample = Math.floor(rand() * 2 ** 32);
    if (!s.remembers(sample)) continue;
    s.kept(ts);
    if (ts >= from + (hours - 1) * HOUR) keptLastHour++;
  }
  return keptLastHour;
}

describe('HorizonSampler: a bounded table that covers its whole horizon', () => {
  test('keys slow enough for the capacity to last the horizon are all kept', () => {
    const s = new HorizonSampler(1000, HOUR);
    expect(feed(s, 0, 3, 900, seededRandom(1))).toBe(900);
    expect(s.rate).toBe(1);
  });

  test('faster keys: 1 in 2^k is kept, so one horizon of them fits the capacity but never falls below a quarter of it', () => {
    for (const perHour of [1500, 10_000, 250_000]) {
      const s = new HorizonSampler(1000, HOUR);
      const kept = feed(s, 0, 3, perHour, seededRandom(2));
      expect(kept).toBeLessThanOrEqual(1000);
      expect(kept).toBeGreaterThanOrEqual(250);
      expect(s.rate).toBe(2 ** -Math.ceil(Math.log2(perHour / 1000)));
    }
  });

  test('the level rises after a sixteenth of the capacity, long before the table overflows', () => {
    const s = new HorizonSampler(16_000, HOUR);
    // 160 000 keys an hour: 10 times too many; after 1100 of them (25 s) the sampler keeps 1 in 16
    feed(s, 0, 1100 / 160_000, 160_000, seededRandom(3));
    expect(s.rate).toBe(1 / 16);
  });

  test('a key sampled in stays in at a lower rate only if its hash is in the lower range: the kept set shrinks, never swaps', () => {
    const s = new HorizonSampler(1000, HOUR);
    const low = 0x00ffffff; // in the lowest 1/256
    const high = 0x7fffffff; // in the lower half only
    expect([s.remembers(low), s.remembers(high)]).toEqual([true, true]);
    feed(s, 0, 1, 6000, seededRandom(4)); // 6 times the capacity: 1 in 8
    expect([s.remembers(low), s.remembers(high), s.judges(low), s.judges(high)]).toEqual([true, false, true, false]);
  });

  test('when traffic drops the level falls a step per horizon or two; keys let in again are judged a horizon after that', () => {
    const s = new HorizonSampler(1000, HOUR);
    const rand = seededRandom(5);
    feed(s, 0, 2, 6000, rand);
    expect(s.rate).toBe(1 / 8);
    const band = 0x30000000; // kept at 1/4, not at 1/8
    expect(s.remembers(band)).toBe(false);
    // 400 keys an hour from 2 h on: at 1/8 that is 50 kept an hour, far below a quarter of the capacity
    let remembered = NaN;
    let judged = NaN;
    for (let t = 2 * HOUR; t < 6 * HOUR && !(judged >= 0); t += HOUR / 20) {
      feed(s, t, 1 / 20, 400, rand);
      if (s.remembers(band) && !(remembered >= 0)) remembered = t;
      if (s.judges(band) && !(judged >= 0)) judged = t;
    }
    expect(remembered).toBeLessThanOrEqual(4 * HOUR); // within two horizons of the drop
    expect(judged - remembered).toBeGreaterThanOrEqual(HOUR - HOUR / 20); // its earlier copies were not kept
    expect(judged - remembered).toBeLessThanOrEqual(HOUR + HOUR / 10);
    feed(s, 6 * HOUR, 5, 400, rand);
    expect(s.rate).toBe(1); // 400 an hour fit: every key again
  });

  test('a burst of keys with one timestamp: none of it passes for a rate until it is half the capacity, then 16 times fewer at most', () => {
    const burst = (n: number) => {
      const s = new HorizonSampler(1600, HOUR);
      const rand = seededRandom(6);
      for (let i = 0; i < n; i++) {
        const sample = Math.floor(rand() * 2 ** 32);
        if (s.remembers(sample)) s.kept(0);
      }
      return s.rate;
    };
    expect(burst(700)).toBe(1);
    expect(burst(1000)).toBe(1 / 16); // not the 1/2^20 a rate over 0 ms would give
  });

  test('disabled: every key is kept whatever the rate', () => {
    const s = new HorizonSampler(1000, HOUR, false);
    expect(feed(s, 0, 2, 10_000, seededRandom(7))).toBe(10_000);
    expect(s.rate).toBe(1);
  });
});
