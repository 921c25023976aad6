import { ServingSampler } from '../../src/capture/serving-sampler';
import type { ServingEvent } from '../../src/events/contract';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T00:00:00Z');
const ev = (ts: number, version = 'v1'): ServingEvent => ({
  type: 'serving', ts, request_id: `r${ts}`, user_id: 'u', model_version: version, context: {}, candidates: [], scores: [], latency_ms: 1,
});

describe('ServingSampler', () => {
  test('captures a bounded sample per window with the model versions seen, and forgets old windows', () => {
    const s = new ServingSampler({ sampleSize: 5, windowMs: 5 * MIN, windows: 3 });
    for (let i = 0; i < 200; i++) s.add(ev(T0 + i * 6_000, i % 2 ? 'v1' : 'v2')); // 20 minutes, 4 windows
    expect(s.between(T0, T0 + 5 * MIN)).toBeUndefined(); // the oldest window was evicted
    const w = s.between(T0 + 15 * MIN, T0 + 20 * MIN)!;
    expect(w).toMatchObject({ seen: 50, model_versions: { v1: 25, v2: 25 } });
    expect(w.events).toHaveLength(5);
  });

  test('the reference is a window that ended before the incident, with a margin', () => {
    const s = new ServingSampler({ sampleSize: 5, windowMs: 5 * MIN, windows: 10 });
    for (let i = 0; i < 30; i++) s.add(ev(T0 + i * MIN));
    const ref = s.referenceBefore(T0 + 25 * MIN, 5 * MIN)!;
    expect(ref.end).toBe(T0 + 20 * MIN);
  });
});
