import { decodeEvent } from '../../src/events/decode';
import { DemoWorld, trafficShare } from '../../src/demo/world';
import { noFaults } from '../../src/demo/faults';
import { contractProblems } from './event-contract';
import { H, M, START, engagementRate, impressions, servings, slice, world } from './world-fixture';

describe('DemoWorld events', () => {
  const w = world();
  const first = slice(w, 0, 2);

  test('every event satisfies the event contract and the decoder accepts it', () => {
    const types = new Set(first.map((e) => e.type));
    expect([...types].sort()).toEqual(['engagement', 'impression', 'item', 'serving']);
    const problems = first.flatMap(contractProblems);
    expect(problems.slice(0, 5)).toEqual([]);
    for (const e of first.filter((_, i) => i % 50 === 0)) {
      const decoded = decodeEvent(JSON.stringify(e));
      expect(decoded.ok).toBe(true);
    }
  });

  test('events are in ts order and inside [from, to)', () => {
    expect(first.findIndex((e, i) => i > 0 && e.ts < first[i - 1].ts)).toBe(-1);
    expect(first[0].ts).toBeGreaterThanOrEqual(START);
    expect(first[first.length - 1].ts).toBeLessThan(START + 2 * H);
  });

  test('a serving request yields a full slate of impressions, top-k by score, and engagements that cite it', () => {
    const s = servings(first)[100];
    const imps = impressions(first).filter((i) => i.request_id === s.request_id);
    expect(imps.map((i) => i.position)).toEqual([...Array(10).keys()]);
    const topK = [...s.scores].sort((a, b) => b - a).slice(0, 10);
    expect(imps.map((i) => i.score)).toEqual(topK);
    expect(s.candidates).toHaveLength(20);
    expect(Object.keys(s.context).sort()).toEqual(['device', 'hour_of_day']);
    expect(Object.keys(s.candidates[0].features)).toHaveLength(9);
    const requestIds = new Set(servings(first).map((e) => e.request_id));
    const eng = first.filter((e) => e.type === 'engagement');
    expect(eng.length).toBeGreaterThan(0);
    expect(eng.filter((e) => !requestIds.has(e.request_id as string))).toEqual([]);
  });

  test('the catalogue is announced at the start with launch dates in the past; new items follow', () => {
    const items = first.filter((e) => e.type === 'item');
    const catalogue = items.filter((e) => e.ts === START);
    expect(catalogue.length).toBeGreaterThanOrEqual(300);
    expect(catalogue.filter((e) => e.item_id.startsWith('item-') && !e.item_id.startsWith('item-new')).every((e) => e.launch_ts <= START - 10 * 24 * H)).toBe(true);
    for (const e of items) expect(typeof e.cohort).toBe('string');
    // over a day some launches are announced ahead (launch_ts in the future)
    const day = new DemoWorld({ seed: 7, startTime: START, faults: noFaults(), requestsPerMinute: 0.01 }).step(START + M, START + 24 * H);
    const launches = day.filter((e) => e.type === 'item');
    expect(launches.length).toBeGreaterThanOrEqual(8);
    expect(launches.some((e) => e.type === 'item' && e.launch_ts > e.ts)).toBe(true);
    expect(launches.some((e) => e.type === 'item' && e.launch_ts === e.ts)).toBe(true);
  });
});

describe('DemoWorld determinism', () => {
  test('same seed, same call → same events; split steps join seamlessly', () => {
    const a = world(11).step(START + 30 * M, START + 50 * M);
    const b = world(11).step(START + 30 * M, START + 50 * M);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const w = world(11);
    const split = [...w.step(START + 30 * M, START + 37 * M + 123), ...w.step(START + 37 * M + 123, START + 50 * M)];
    expect(JSON.stringify(split)).toBe(JSON.stringify(a));
    const other = world(12).step(START + 30 * M, START + 50 * M);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(a));
  });

  test('nothing happens before the start', () => {
    expect(world().step(START - H, START)).toEqual([]);
  });
});

describe('DemoWorld traffic', () => {
  test('night volume is clearly below the evening peak', () => {
    const midnight = Date.UTC(2024, 2, 4, 0, 0, 0);
    const w = new DemoWorld({ seed: 3, startTime: midnight, faults: noFaults() });
    const count = (h: number) => servings(w.step(midnight + h * H, midnight + h * H + 30 * M)).length;
    const night = count(4);
    const peak = count(20);
    expect(night / peak).toBeGreaterThan(0.15);
    expect(night / peak).toBeLessThan(0.45);
    expect(peak).toBeGreaterThan(30 * 40 * 0.85);
    expect(trafficShare(Date.UTC(2024, 0, 1, 4, 30))).toBeCloseTo(0.3, 2);
  });

  test('without faults the engagement rate is steady, around 10%', () => {
    const w = new DemoWorld({ seed: 3, startTime: START, faults: noFaults() });
    const a = engagementRate(w.step(START + H, START + 2 * H));
    const b = engagementRate(w.step(START + 6 * H, START + 7 * H));
    expect(a).toBeGreaterThan(0.05);
    expect(a).toBeLessThan(0.2);
    expect(Math.abs(a - b) / a).toBeLessThan(0.15);
  });
});
