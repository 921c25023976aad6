import { decodeEvent } from '../../src/events/decode';

const imp = { type: 'impression', ts: '2026-11-23T10:00:00Z', request_id: 'r1', user_id: 'u1', item_id: 'i1', position: 0, score: 0.5, model_version: 'v1' };

describe('decodeEvent (the event contract)', () => {
  test('accepts each event type and turns ts into epoch milliseconds', () => {
    const r = decodeEvent(JSON.stringify(imp));
    expect(r).toEqual({ ok: true, event: expect.objectContaining({ type: 'impression', ts: Date.parse('2026-11-23T10:00:00Z'), position: 0 }) });
    expect(decodeEvent({ type: 'engagement', ts: 1_795_000_000_000, user_id: 'u', item_id: 'i', action: 'play' }).ok).toBe(true);
    expect(decodeEvent({ type: 'item', ts: 1_795_000_000_000, item_id: 'i', launch_ts: '2026-12-01T00:00:00Z', cohort: 'drama' }).ok).toBe(true);
    const serving = {
      type: 'serving', ts: 1_795_000_000_000, request_id: 'r', user_id: 'u', model_version: 'v1', latency_ms: 12,
      context: { device: 'tv', hour: 3 }, candidates: [{ item_id: 'a', features: { x: 1, y: null, z: 'cat', w: true } }], scores: [0.1],
    };
    expect(decodeEvent(serving).ok).toBe(true);
  });

  test('unknown extra fields are ignored', () => {
    const r = decodeEvent({ ...imp, debug: { anything: [1, 2] } });
    expect(r.ok).toBe(true);
  });

  test.each([
    ['{not json', 'invalid_json'],
    ['[1,2]', 'not_object'],
    [JSON.stringify({ ...imp, type: 'click' }), 'unknown_type'],
    [JSON.stringify({ ...imp, type: undefined }), 'unknown_type'],
    [JSON.stringify({ ...imp, user_id: undefined }), 'missing_field'],
    [JSON.stringify({ ...imp, position: -1 }), 'wrong_type'],
    [JSON.stringify({ ...imp, position: 1.5 }), 'wrong_type'],
    [JSON.stringify({ ...imp, score: 'high' }), 'wrong_type'],
    [JSON.stringify({ ...imp, ts: 'yesterday' }), 'invalid_timestamp'],
    [JSON.stringify({ ...imp, ts: 1_795_000_000 }), 'invalid_timestamp'], // seconds, not milliseconds
    [JSON.stringify({ ...imp, ts: '2150-01-01T00:00:00Z' }), 'invalid_timestamp'],
  ])('%s → %s', (line, reason) => {
    const r = decodeEvent(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  test('serving events need one score per candidate and feature values of the allowed types', () => {
    const base = { type: 'serving', ts: 1_795_000_000_000, request_id: 'r', user_id: 'u', model_version: 'v1', latency_ms: 1, context: {} };
    const bad = (extra: object) => decodeEvent({ ...base, ...extra });
    expect(bad({ candidates: [{ item_id: 'a', features: {} }], scores: [] })).toMatchObject({ ok: false, reason: 'wrong_type', detail: expect.stringMatching(/0 entries for 1 candidates/) });
    expect(bad({ candidates: [{ item_id: 'a', features: { x: [1] } }], scores: [1] })).toMatchObject({ ok: false, reason: 'wrong_type', detail: expect.stringMatching(/candidates\[0\]\.features\.x/) });
    expect(bad({ candidates: [{ features: {} }], scores: [1] })).toMatchObject({ ok: false, reason: 'missing_field' });
    expect(bad({ candidates: [{ item_id: 'a', features: {} }, { features: {} }], scores: [1, 2] })).toMatchObject({ ok: false, reason: 'missing_field', detail: expect.stringMatching(/candidates\[1\]\.item_id/) });
    expect(bad({ candidates: [{ item_id: 'a', features: {} }, { item_id: 'b' }], scores: [1, 2] })).toMatchObject({ ok: false, reason: 'missing_field', detail: expect.stringMatching(/candidates\[1\]\.features/) });
    expect(bad({ candidates: [{ item_id: 'a', features: {} }], scores: [1], context: { x: {} } })).toMatchObject({ ok: false, reason: 'wrong_type', detail: expect.stringMatching(/"context\.x"/) });
  });

  test('an event already in decoded form is kept as parsed (extra fields and all); one that needs normalising is copied', () => {
    const plain = { type: 'serving', ts: 1_795_000_000_000, request_id: 'r', user_id: 'u', model_version: 'v1', latency_ms: 1, context: {}, candidates: [{ item_id: 'a', features: { x: 1 }, debug: 'x' }], scores: [0.5], trace: 't1' };
    const r = decodeEvent(plain);
    expect(r.ok && r.event).toBe(plain);
    // an ISO time: the event is copied (its candidates, already plain, are kept)
    const iso = decodeEvent({ ...plain, ts: '2026-11-18T08:53:20Z' });
    expect(iso.ok && iso.event).toMatchObject({ ts: Date.parse('2026-11-18T08:53:20Z'), candidates: plain.candidates });
    expect(iso.ok && iso.event).not.toHaveProperty('trace');
    // an ISO time, a null surface, a numeric id: copied, in decoded form, without the extra fields
    const copied = decodeEvent({ ...imp, surface: null, user_id: 7, trace: 't1' });
    expect(copied).toEqual({ ok: true, event: { type: 'impression', ts: Date.parse(imp.ts), request_id: 'r1', user_id: '7', item_id: 'i1', position: 0, score: 0.5, model_version: 'v1', surface: undefined } });
    const engagement = { type: 'engagement', ts: 1_795_000_000_000, user_id: 'u', item_id: 'i', action: 'play', value: null };
    expect(decodeEvent(engagement)).toEqual({ ok: true, event: { ...engagement, value: undefined, request_id: undefined } });
  });

  test('numeric candidate ids become strings; candidates keep only item_id and features', () => {
    const r = decodeEvent({ type: 'serving', ts: 1_795_000_000_000, request_id: 'r', user_id: 'u', model_version: 'v1', latency_ms: 1, context: {}, candidates: [{ item_id: 42, features: { x: 1 }, debug: 'x' }], scores: [0.5] });
    expect(r).toMatchObject({ ok: true, event: { candidates: [{ item_id: '42', features: { x: 1 } }] } });
    if (r.ok && r.event.type === 'serving') expect(Object.keys(r.event.candidates[0])).toEqual(['item_id', 'features']);
  });

  test('oversized records are rejected before parsing', () => {
    expect(decodeEvent('x'.repeat(100), { maxBytes: 10 })).toMatchObject({ ok: false, reason: 'oversized' });
    // a string decoded from bytes is measured in bytes when its size is given: 6 × 'é' is 12 bytes
    expect(decodeEvent('"éééééé"', { maxBytes: 12 }, 14)).toMatchObject({ ok: false, reason: 'oversized', detail: '14 bytes > 12' });
  });
});
