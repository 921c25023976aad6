import { duplicateRateKind } from '../../src/check-kinds/duplicate-rate';
import { addEventKey, NEW, RecentKeys, REPEATED } from '../../src/check-kinds/recent-keys';
import type { EngagementEvent, ImpressionEvent, RecEvent } from '../../src/events/contract';
import { MIN, serving, streamingCheck, T0 } from './helpers';

const imp = (request: string, item: string, extra: Partial<ImpressionEvent> = {}): ImpressionEvent => ({
  type: 'impression', ts: T0, request_id: request, user_id: 'u1', item_id: item, position: 0, score: 1, model_version: 'v1', surface: 'home', ...extra,
});
const eng = (item: string, action: string, ts = T0): EngagementEvent => ({ type: 'engagement', ts, user_id: 'u1', item_id: item, action, request_id: 'r1' });

describe('RecentKeys: a bounded look-back set', () => {
  const seen = (r: RecentKeys, key: string, ts: number) => {
    r.key().add(key);
    return r.seen(ts) === REPEATED;
  };
  test('a key is a repeat within the look-back only', () => {
    const r = new RecentKeys(10 * MIN, 100);
    expect(seen(r, 'a', T0)).toBe(false);
    expect(seen(r, 'b', T0)).toBe(false);
    expect(seen(r, 'a', T0 + 10 * MIN)).toBe(true); // exactly at the edge: still remembered
    expect(seen(r, 'a', T0 + 10 * MIN + 1)).toBe(false); // its first sighting is now too old
    expect(seen(r, 'a', T0 + 12 * MIN)).toBe(true); // remembered from the re-sighting
    expect(seen(r, 'ab', T0 + 12 * MIN)).toBe(false);
  });
  test('at least max_keys of the latest keys are kept, at most twice that; keys dropped within the look-back are counted', () => {
    const r = new RecentKeys(10 * MIN, 3);
    for (let k = 0; k < 7; k++) seen(r, `k${k}`, T0 + k);
    expect(r.size).toBeLessThanOrEqual(6);
    expect(r.evictedEarly).toBe(3); // k0..k2 went when k6 arrived, all within the look-back
    expect(['k4', 'k5', 'k6'].map((k) => seen(r, k, T0 + 10))).toEqual([true, true, true]);
    expect(seen(r, 'k0', T0 + 10)).toBe(false); // k0 was forgotten to keep the bound
  });
});

describe('duplicate-rate', () => {
  const check = (def: Record<string, unknown> = {}) => streamingCheck(duplicateRateKind, { window: '10m', min_events: 1, ...def });
  const feed = (c: ReturnType<typeof check>, ws: number, events: RecEvent[]) => events.forEach((e) => c.add(ws, e));

  test('the share of events per type that repeat an earlier one, also across windows', () => {
    const c = check();
    // window 1: r1/a, r1/b, r1/a again (1 of 3); serving r1 twice (1 of 2)
    feed(c, T0, [imp('r1', 'a'), imp('r1', 'b'), imp('r1', 'a'), serving([{}], {}, { request_id: 'r1' }), serving([{}], {}, { request_id: 'r1' })]);
    const w1 = c.close(T0, T0 + 10 * MIN);
    expect(w1.map((o) => [o.labels.event_type, o.value])).toEqual([['impression', 1 / 3], ['serving', 1 / 2]]);
    // window 2: r1/b repeats window 1's (1 of 2); another user's r1/b is a different event
    const ws2 = T0 + 10 * MIN;
    feed(c, ws2, [imp('r1', 'b', { ts: ws2 }), imp('r1', 'b', { ts: ws2, user_id: 'u2' })]);
    const w2 = c.close(ws2, ws2 + 10 * MIN);
    expect(w2).toEqual([expect.objectContaining({ labels: { event_type: 'impression' }, value: 0.5 })]);
  });

  test('the evidence names where the duplicates come from, most first', () => {
    const c = check({ event_types: ['impression'] });
    feed(c, T0, [
      imp('r1', 'a'), imp('r1', 'a'), imp('r1', 'b'), imp('r1', 'b'), // home: 2 of 4
      imp('r2', 'a', { surface: 'search' }), imp('r2', 'a', { surface: 'search' }), imp('r2', 'b', { surface: 'search' }), // search: 1 of 3
      imp('r3', 'a', { surface: 'row' }), // row: none
    ]);
    const [obs] = c.close(T0, T0 + 10 * MIN);
    expect(obs.value).toBe(3 / 8);
    expect(obs.evidence).toEqual([
      { name: 'surface=home, model_version=v1', value: 0.5, note: '2 of 4 events repeat earlier ones' },
      { name: 'surface=search, model_version=v1', value: 1 / 3, note: '1 of 3 events repeat earlier ones' },
    ]);
  });

  test('engagements repeat with the same action; match_ts counts only exact re-deliveries', () => {
    const loose = check({ event_types: ['engagement'] });
    const strict = check({ event_types: ['engagement'], match_ts: true });
    // play a, click a, play a 5 s later (a second play), play a again at the same ts as the second
    const events = [eng('a', 'play'), eng('a', 'click'), eng('a', 'play', T0 + 5000), eng('a', 'play', T0 + 5000)];
    feed(loose, T0, events);
    feed(strict, T0, events);
    expect(loose.close(T0, T0 + 10 * MIN)[0].value).toBe(2 / 4);
    expect(strict.close(T0, T0 + 10 * MIN)[0].value).toBe(1 / 4);
  });

  test('the look-back is bounded in time', () => {
    const c = check({ event_types: ['impression'], lookback: '15m' });
    feed(c, T0, [imp('r1', 'a')]);
    c.close(T0, T0 + 10 * MIN);
    const late = T0 + 20 * MIN;
    feed(c, late, [imp('r1', 'a', { ts: late })]); // 20 minutes later: no longer remembered
    expect(c.close(late, late + 10 * MIN)[0].value).toBe(0);
  });

  test('windows with fewer than min_events events of a type report nothing', () => {
    const c = check({ min_events: 3 });
    feed(c, T0, [imp('r1', 'a'), imp('r1', 'a')]);
    expect(c.close(T0, T0 + 10 * MIN)).toEqual([]);
  });

  test('item events repeat with the same item, launch time and cohort', () => {
    const item = (cohort: string): RecEvent => ({ type: 'item', ts: T0, item_id: 'i1', launch_ts: T0, cohort });
    const r = new RecentKeys(10 * MIN, 100);
    const again = (e: RecEvent) => {
      addEventKey(r.key(), e, false);
      return r.seen(e.ts) !== NEW;
    };
    expect([again(item('drama')), again(item('drama')), again(item('kids'))]).toEqual([false, true, false]);
  });
});

describe('duplicate-rate at a volume max_keys cannot hold for the look-back', () => {
  /**
   * 4 hours of 21 000 impressions an hour (350 a minute), one request each; 1 in 20 is delivered
   * again 50 minutes later (a consumer re-reading its partition): a true share of 1/21 once the
   * first copies are an hour old. max_keys 5000 holds about 15 minutes of keys.
   */
  function run(sampling: 'auto' | 'off') {
    const c = streamingCheck(duplicateRateKind, { window: '10m', event_types: ['impression'], lookback: '1h', max_keys: 5000, min_events: 50, sampling });
    const perMinute = 350;
    const late: ImpressionEvent[][] = Array.from({ length: 4 * 60 + 50 }, () => []);
    const windows: Array<{ value: number; details: Record<string, unknown> }> = [];
    let id = 0;
    for (let w = 0; w < 24; w++) {
      const ws = T0 + w * 10 * MIN;
      for (let m = 0; m < 10; m++) {
        const minute = w * 10 + m;
        for (const e of late[minute]) c.add(ws, e);
        for (let i = 0; i < perMinute; i++) {
          const e = imp(`r${id}`, `i${id % 97}`, { ts: ws + m * MIN + i, user_id: `u${id % 1013}` });
          c.add(ws, e);
          if (id++ % 20 === 0) late[minute + 50].push({ ...e, ts: e.ts + 50 * MIN });
        }
      }
      const [obs] = c.close(ws, ws + 10 * MIN);
      windows.push({ value: obs.value, details: obs.details as Record<string, unknown> });
    }
    return windows.slice(6); // once the look-back is full
  }
  const pooled = (ws: Array<{ details: Record<string, unknown> }>) => {
    const judged = ws.reduce((n, w) => n + Number(w.details.judged_events ?? w.details.events), 0);
    return ws.reduce((n, w) => n + Number(w.details.duplicates), 0) / judged;
  };

  test('auto: the keys of 1 request in 8 are remembered for the whole hour, and the share over them is the true share', () => {
    const ws = run('auto');
    expect(pooled(ws)).toBeGreaterThan((1 / 21) * 0.85);
    expect(pooled(ws)).toBeLessThan((1 / 21) * 1.15);
    for (const w of ws) {
      expect(w.details).toMatchObject({ sample_rate: 1 / 8, evicted_early: 0 });
      expect(w.value).toBeGreaterThan(0.02); // every window sees its re-deliveries
    }
  });

  test('off: every key is remembered until the table is full, and the re-deliveries 50 minutes later go unseen', () => {
    const ws = run('off');
    expect(pooled(ws)).toBeLessThan(0.005);
    expect(Number(ws[ws.length - 1].details.evicted_early)).toBeGreaterThan(10_000);
    expect(ws[0].details.sample_rate).toBeUndefined();
  });
});
