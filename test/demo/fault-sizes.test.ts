import { DemoWorld, trafficShare, weekdayFactor } from '../../src/demo/world';
import { FaultTimeline, type FaultKind } from '../../src/demo/faults';
import { demoScore } from '../../src/demo/model';
import type { ServingEvent } from '../../src/events/contract';
import { H, M, START, engagementRate, impressions, servings } from './world-fixture';

/** worldWith: one fault of `kind` from +1h to +2h after START, at `size` (absent: unsized). */
function worldWith(kind: FaultKind, size?: number, seed = 5): DemoWorld {
  return new DemoWorld({
    seed,
    startTime: START,
    realClock: () => 0,
    faults: { faults: [{ kind, atMs: H, durationMs: H, ...(size !== undefined ? { size } : {}) }] },
  });
}
const during = (w: DemoWorld) => w.step(START + H, START + 2 * H);
const share = <T>(xs: T[], pred: (x: T) => boolean) => xs.filter(pred).length / xs.length;
const replayMatches = (s: ServingEvent) => {
  const [r] = demoScore([{ request_id: s.request_id, user_id: s.user_id, context: s.context, candidates: s.candidates }], s.model_version);
  return r.scores.every((x, i) => x === s.scores[i]);
};

describe('fault sizes', () => {
  test('size 1 yields exactly the events of an unsized fault', () => {
    const part = (w: DemoWorld) => w.step(START + H, START + H + 10 * M);
    for (const kind of ['volume-drop', 'bad-model', 'latency-spike'] as const) {
      const sized = part(worldWith(kind, 1));
      expect(sized.length).toBeGreaterThan(1000);
      expect(JSON.stringify(sized)).toBe(JSON.stringify(part(worldWith(kind))));
    }
  });

  test('volume-drop of size 0.5 loses ~42.5% of home impressions (85% × 0.5), other surfaces none', () => {
    const ev = during(worldWith('volume-drop', 0.5));
    const kept = (surface: string) =>
      impressions(ev).filter((i) => i.surface === surface).length / (10 * servings(ev).filter((s) => s.surface === surface).length);
    expect(kept('home')).toBeGreaterThan(0.575 - 0.04);
    expect(kept('home')).toBeLessThan(0.575 + 0.04);
    expect(kept('search')).toBe(1);
  });

  test('latency-spike of size 0.2 doubles the median latency (×(1 + 5·0.2))', () => {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const w = worldWith('latency-spike', 0.2);
    const before = median(servings(w.step(START, START + H)).map((s) => s.latency_ms));
    const spiked = median(servings(during(w)).map((s) => s.latency_ms));
    expect(spiked / before).toBeGreaterThan(1.8);
    expect(spiked / before).toBeLessThan(2.2);
  });

  test('bad-model, feature-bug and stale-cache of size 0.3 hit ~30% of requests', () => {
    const bad = servings(during(worldWith('bad-model', 0.3)));
    expect(share(bad, (s) => s.model_version === 'v2')).toBeGreaterThan(0.25);
    expect(share(bad, (s) => s.model_version === 'v2')).toBeLessThan(0.35);
    const bug = servings(during(worldWith('feature-bug', 0.3)));
    const broken = (s: ServingEvent) => s.candidates.every((c) => c.features.user_item_affinity === null);
    expect(share(bug, broken)).toBeGreaterThan(0.25);
    expect(share(bug, broken)).toBeLessThan(0.35);
    // a request is broken entirely or not at all
    expect(bug.every((s) => broken(s) || s.candidates.every((c) => c.features.user_item_affinity !== null))).toBe(true);
    const stale = servings(during(worldWith('stale-cache', 0.3)));
    expect(share(stale, (s) => !replayMatches(s))).toBeGreaterThan(0.25);
    expect(share(stale, (s) => !replayMatches(s))).toBeLessThan(0.35);
  });

  test('a smaller bad-model costs less engagement than a full one', () => {
    const rate = (size: number) => engagementRate(during(worldWith('bad-model', size)));
    const healthy = engagementRate(during(new DemoWorld({ seed: 5, startTime: START, realClock: () => 0, faults: { faults: [] } })));
    expect(rate(0.25)).toBeLessThan(healthy);
    expect(rate(0.25)).toBeGreaterThan(rate(1));
  });

  test('a size outside (0, 1] is refused, naming the fault', () => {
    expect(() => new FaultTimeline({ faults: [{ kind: 'bad-model', atMs: 0, durationMs: H, size: 0 }] }, START)).toThrow(/bad-model: size must be in \(0, 1\]/);
    expect(() => new FaultTimeline({ faults: [{ kind: 'bad-model', atMs: 0, durationMs: H, size: 1.5 }] }, START)).toThrow(/size/);
  });
});

describe('stall', () => {
  test('a full stall delivers no event at all while it lasts, and traffic resumes after it', () => {
    const w = worldWith('stall');
    expect(during(w)).toEqual([]);
    expect(servings(w.step(START + 2 * H, START + 2 * H + 10 * M)).length).toBeGreaterThan(50);
    expect(servings(w.step(START + H - 10 * M, START + H)).length).toBeGreaterThan(50);
  });

  test('a stall of size 0.5 loses about half of the requests, each with all its events', () => {
    const healthy = during(new DemoWorld({ seed: 9, startTime: START, realClock: () => 0, faults: { faults: [] } }));
    const half = during(worldWith('stall', 0.5, 9));
    const kept = servings(half).length / servings(healthy).length;
    expect(kept).toBeGreaterThan(0.45);
    expect(kept).toBeLessThan(0.55);
    const servedIds = new Set(servings(half).map((s) => s.request_id));
    expect(impressions(half).every((i) => servedIds.has(i.request_id))).toBe(true);
  });
});

describe('weekly rhythm', () => {
  const MON = Date.UTC(2026, 0, 5, 12, 0, 0); // a Monday noon
  const SAT = Date.UTC(2026, 0, 10, 12, 0, 0);
  test('weekday factors: Monday 0.9 and Saturday 1.25 at noon, halfway between at midnight', () => {
    expect(weekdayFactor(MON)).toBeCloseTo(0.9, 10);
    expect(weekdayFactor(SAT)).toBeCloseTo(1.25, 10);
    expect(weekdayFactor(MON + 12 * H)).toBeCloseTo((0.9 + 0.88) / 2, 10);
    expect(trafficShare(SAT, true)).toBeCloseTo(trafficShare(SAT) * 1.25, 10);
    expect(trafficShare(SAT)).toBe(trafficShare(MON));
  });

  test('with weeklyRhythm, a Saturday afternoon carries ~1.25/0.9 the traffic of a Monday afternoon; off by default', () => {
    const count = (weekly: boolean, t: number) =>
      servings(new DemoWorld({ seed: 4, startTime: MON - 12 * H, realClock: () => 0, faults: { faults: [] }, weeklyRhythm: weekly }).step(t, t + 2 * H)).length;
    const ratio = count(true, SAT) / count(true, MON);
    expect(ratio).toBeGreaterThan((1.25 / 0.9) * 0.93);
    expect(ratio).toBeLessThan((1.25 / 0.9) * 1.07);
    const flat = count(false, SAT) / count(false, MON);
    expect(flat).toBeGreaterThan(0.93);
    expect(flat).toBeLessThan(1.07);
  });
});
