import { ServingSampler } from '../../src/capture/serving-sampler';
import type { ServingEvent } from '../../src/events/contract';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-23T00:00:00Z');
const ev = (ts: number, version = 'v1'): ServingEvent => ({
  type: 'serving', ts, request_id: `r${ts}`, user_id: 'u', model_version: version, context: {}, candidates: [], scores: [], latency_ms: 1,
});

describe('ServingSampler', () => {
  test('captures a bounded sample per window and per model version, with the versions seen, and forgets old windows', () => {
    const s = new ServingSampler({ sampleSize: 5, windowMs: 5 * MIN, windows: 3 });
    for (let i = 0; i < 200; i++) s.add(ev(T0 + i * 6_000, i % 2 ? 'v1' : 'v2')); // 20 minutes, 4 windows
    expect(s.between(T0, T0 + 5 * MIN)).toBeUndefined(); // the oldest window was evicted
    const w = s.between(T0 + 15 * MIN, T0 + 20 * MIN)!;
    expect(w).toMatchObject({ seen: 50, model_versions: { v1: 25, v2: 25 } });
    expect(w.events.filter((e) => e.model_version === 'v1')).toHaveLength(5);
    expect(w.events.filter((e) => e.model_version === 'v2')).toHaveLength(5);
  });

  test("an issue's captured events carry only the contract's fields, whatever the producer added", () => {
    const s = new ServingSampler({ sampleSize: 10, windowMs: 5 * MIN, windows: 3 });
    const e = { ...ev(T0), surface: 'home', trace: 't1', candidates: [{ item_id: 'a', features: { x: 1 }, debug: 'x' }], scores: [0.5] };
    s.add(e as ServingEvent);
    expect(s.between(T0, T0 + 5 * MIN)!.events).toEqual([{ ...ev(T0), surface: 'home', candidates: [{ item_id: 'a', features: { x: 1 } }], scores: [0.5] }]);
  });

  test('a canary serving 2% of the traffic still has its own sample in the issue', () => {
    const s = new ServingSampler({ sampleSize: 20, windowMs: 5 * MIN, windows: 3, maxIssueEvents: 40 });
    for (let i = 0; i < 3000; i++) s.add(ev(T0 + i * 100, i % 50 === 0 ? 'canary' : 'v1'));
    const w = s.between(T0, T0 + 5 * MIN)!;
    expect(w.model_versions).toEqual({ v1: 2940, canary: 60 });
    expect(w.events).toHaveLength(40);
    expect(w.events.filter((e) => e.model_version === 'canary').length).toBeGreaterThanOrEqual(10);
  });

  test('an issue stores at most maxIssueEvents events per sample, however many windows it spans', () => {
    const s = new ServingSampler({ sampleSize: 10, windowMs: 5 * MIN, windows: 12, maxIssueEvents: 25 });
    for (let i = 0; i < 600; i++) s.add(ev(T0 + i * 6_000));
    const w = s.between(T0, T0 + HOUR)!;
    expect(w.seen).toBe(600);
    expect(w.events).toHaveLength(25);
  });

  test('the reference is a window that ended before the incident, with a margin', () => {
    const s = new ServingSampler({ sampleSize: 5, windowMs: 5 * MIN, windows: 10 });
    for (let i = 0; i < 30; i++) s.add(ev(T0 + i * MIN));
    const ref = s.referenceBefore(T0 + 25 * MIN, 5 * MIN)!;
    expect(ref.end).toBe(T0 + 20 * MIN);
  });

  test('with a retention over a day, the reference is the same time of day the day before', () => {
    const s = ServingSampler.fromConfig({ sample_size: 3, window: 5 * MIN, windows: 4, retention: 25 * HOUR, max_issue_events: 10 });
    for (let t = T0; t < T0 + 26 * HOUR; t += MIN) s.add(ev(t));
    const incident = T0 + 25 * HOUR;
    const ref = s.referenceBefore(incident, 5 * MIN)!;
    expect(ref.start).toBe(incident - 24 * HOUR - 5 * MIN);
    // without the retention only the recent windows are kept: the newest window before the incident
    const short = new ServingSampler({ sampleSize: 3, windowMs: 5 * MIN, windows: 4 });
    for (let t = T0; t < incident; t += MIN) short.add(ev(t));
    expect(short.referenceBefore(incident, 5 * MIN)!.end).toBe(incident - 5 * MIN);
  });
});
