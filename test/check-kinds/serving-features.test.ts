import { builtinCheckKinds } from '../../src/check-kinds';
import type { StreamingCheck } from '../../src/check-kinds/kind';
import { MISSING, NUMBER, OTHER, ServingFeatures } from '../../src/check-kinds/serving-features';
import type { RecEvent, ServingEvent } from '../../src/events/contract';
import { decodeEvent } from '../../src/events/decode';
import { seededRandom } from '../detectors/seeded-random';
import { runInTurn, serving, streamingCheck, T0, valueOf } from './helpers';

const W = 5 * 60_000;

const create = (kind: string, extra: Record<string, unknown>, servingFeatures?: ServingFeatures): StreamingCheck =>
  streamingCheck(builtinCheckKinds().get(kind), { window: '5m', ...extra }, { servingFeatures });

/** windows of serving events; from window 6 on, a feature bug: affinity null in a third, popularity shifted, a new device */
function stream(windows: number): RecEvent[][] {
  const rand = seededRandom(5);
  return Array.from({ length: windows }, (_, w) => {
    const bug = w >= 6;
    return Array.from({ length: 150 }, (_, r) => {
      const cands = Array.from({ length: 5 }, (_, c) => {
        const f: ServingEvent['candidates'][number]['features'] = { affinity: bug && c % 3 === 0 ? null : rand(), popularity: (bug ? 5 : 0) + rand() * 10, fresh: rand() < 0.5 };
        if (c === 4 && r % 2) delete f.popularity; // a missing feature, in some candidates
        return f;
      });
      return serving(cands, { hour: w % 24, device: bug && r % 4 === 0 ? 'fridge' : r % 2 ? 'tv' : 'phone' }, { ts: T0 + w * W + r });
    });
  });
}

describe('ServingFeatures: one walk of the feature values for every feature check', () => {
  test('the walk holds each value once, by object, with its key and kind', () => {
    const shared = new ServingFeatures();
    const e = serving([{ a: 0.25, b: null, c: 'x' }, { a: 1, d: true }], { hour: 3, device: 'tv' });
    const k = shared.reader().walk(e);
    const objects = [];
    for (let o = shared.firstObject(k); o < shared.endObject(k); o++) {
      const values = [];
      for (let v = shared.objFrom[o]; v < shared.objTo[o]; v++) {
        const kind = shared.kinds[v];
        values.push([shared.keys[v], kind === NUMBER ? shared.nums[v] : kind === MISSING ? null : shared.raws[v], kind]);
      }
      objects.push({ place: shared.objPlace[o], values });
    }
    expect(objects).toEqual([
      { place: 0, values: [['hour', 3, NUMBER], ['device', 'tv', OTHER]] },
      { place: 1, values: [['a', 0.25, NUMBER], ['b', null, MISSING], ['c', 'x', OTHER]] },
      { place: 1, values: [['a', 1, NUMBER], ['d', true, OTHER]] },
    ]);
  });

  test('readers find the walks of the others, in any order, and walks are dropped once all have read them', () => {
    const shared = new ServingFeatures();
    const [first, second] = [shared.reader(), shared.reader()];
    const chunk = [0, 1, 2].map((i) => serving([], { n: i }));
    const walks = chunk.map((e) => first.walk(e));
    expect(walks).toEqual([0, 1, 2]);
    // the second reader skips the first event and reads the others out of order: it finds their walks
    expect([second.walk(chunk[2]), second.walk(chunk[1])]).toEqual([2, 1]);
    expect(shared.nums[shared.objFrom[shared.firstObject(1)]]).toBe(1);
    expect(second.walk(chunk[2])).toBe(2); // read again: the same walk
    // the next chunk: both have read to the end, so the walks start over
    const next = serving([], { n: 3 });
    expect(first.walk(next)).toBe(0);
    expect(shared.nums[shared.objFrom[shared.firstObject(0)]]).toBe(3);
    // an event no longer walked (dropped with its chunk) is walked again, and correctly
    const again = second.walk(chunk[0]);
    expect(shared.nums[shared.objFrom[shared.firstObject(again)]]).toBe(0);
  });

  test('a reader that falls behind does not hold the walks: they are dropped, and it walks again what it reads', () => {
    const shared = new ServingFeatures();
    const [first, second] = [shared.reader(), shared.reader()];
    const events = Array.from({ length: 600 }, (_, i) => serving([], { n: i }));
    const walks = events.map((e) => first.walk(e));
    expect(Math.max(...walks)).toBeLessThan(256); // dropped every 256 events although `second` read none
    for (const i of [10, 599, 300]) expect(shared.nums[shared.objFrom[shared.firstObject(second.walk(events[i]))]]).toBe(i);
  });

  test('feature-quality and feature-drift sharing one walk report what each reports walking on its own', () => {
    const windows = stream(10);
    const nulls = { measures: ['null_rate', 'zero_rate'], min_values: 10 };
    const inputs = { measures: ['out_of_range_rate', 'type_change_rate', 'new_category_rate'], min_values: 10, reference: { period: '15m' } };
    const drift = { reference_windows: 4, min_samples: 50 };
    const shared = new ServingFeatures();
    const together = runInTurn([create('feature-quality', nulls, shared), create('feature-quality', inputs, shared), create('feature-drift', drift, shared)], windows);
    const alone = [runInTurn([create('feature-quality', nulls)], windows), runInTurn([create('feature-quality', inputs)], windows), runInTurn([create('feature-drift', drift)], windows)];
    for (let w = 0; w < windows.length; w++) for (let c = 0; c < 3; c++) expect(together[w][c]).toEqual(alone[c][w][0]);
    // and they saw the bug: affinity nulls, a new device, popularity out of its range and drifted
    const last = together[9];
    expect(valueOf(last[0], { feature: 'affinity', measure: 'null_rate' })).toBeCloseTo(2 / 5, 5);
    expect(valueOf(last[0], { feature: 'popularity', measure: 'null_rate' })).toBeCloseTo(75 / 750, 5); // missing in every other 5th candidate
    expect(valueOf(last[1], { feature: 'context.device', measure: 'new_category_rate' })).toBeGreaterThan(0.2);
    expect(valueOf(last[1], { feature: 'popularity', measure: 'out_of_range_rate' })).toBeGreaterThan(0.3);
    expect(valueOf(last[2], { feature: 'popularity' })).toBeGreaterThan(0);
  });
});

describe('ServingFeatures as the decoder\'s FeatureWalker: the values are read once, by the walk', () => {
  const line = (cands: unknown[], context: unknown = { hour: 3 }) =>
    JSON.stringify({ type: 'serving', ts: T0, request_id: 'r1', user_id: 'u1', model_version: 'v1', context, candidates: cands.map((features, i) => ({ item_id: `i${i}`, features })), scores: cands.map(() => 0.5), latency_ms: 20 });

  test('a decoded serving event is already walked: a check reading it finds the walk, with every value', () => {
    const shared = new ServingFeatures();
    const reader = shared.reader();
    const r = decodeEvent(line([{ a: 0.25, b: 'x' }, { a: null }]), { features: shared });
    if (!r.ok) throw new Error(r.detail);
    expect(shared.find(r.event as ServingEvent, 0)).toBe(0);
    const k = reader.walk(r.event as ServingEvent);
    expect(k).toBe(0);
    expect(shared.endObject(k) - shared.firstObject(k)).toBe(3); // the context and two candidates
    const nums = [];
    for (let v = shared.objFrom[1]; v < shared.objTo[1]; v++) nums.push([shared.keys[v], shared.kinds[v] === NUMBER ? shared.nums[v] : shared.raws[v]]);
    expect(nums).toEqual([['a', 0.25], ['b', 'x']]);
  });

  test('a walked event the engine then does not admit is skipped: the next one is found where it is, not walked again', () => {
    const shared = new ServingFeatures();
    const reader = shared.reader();
    const decoded = [line([{ a: 1 }]), line([{ a: 2 }]), line([{ a: 3 }])].map((l) => {
      const r = decodeEvent(l, { features: shared });
      if (!r.ok) throw new Error(r.detail);
      return r.event as ServingEvent;
    });
    // the first is not admitted (late, say): the checks read the second and third only
    expect(reader.walk(decoded[1])).toBe(1);
    expect(reader.walk(decoded[2])).toBe(2);
    expect(shared.endObject(2)).toBe(6); // three walks of two objects each: nothing walked twice
  });

  test('a value that is no feature value is rejected as without a walker, same reason and message, and nothing of the event is kept', () => {
    for (const [cands, context, where] of [
      [[{ a: 1 }, { a: 2, b: { nested: true } }], { hour: 3 }, 'candidates[1].features.b'],
      [[{ a: 1 }], { hour: [3] }, 'context.hour'],
    ] as const) {
      const shared = new ServingFeatures();
      shared.reader();
      const walked = decodeEvent(line([...cands], context), { features: shared });
      const alone = decodeEvent(line([...cands], context));
      expect(walked).toEqual(alone);
      expect(walked).toMatchObject({ ok: false, reason: 'wrong_type', detail: `serving: "${where}" must be a number, string, boolean or null` });
      // the next event's walk is the first one kept
      const next = decodeEvent(line([{ a: 3 }]), { features: shared });
      if (!next.ok) throw new Error(next.detail);
      expect(shared.find(next.event as ServingEvent, 0)).toBe(0);
      expect(shared.endObject(0)).toBe(2);
    }
  });
});
