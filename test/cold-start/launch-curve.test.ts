import { launchCurveKind } from '../../src/check-kinds/cold-start-launch-curve';
import type { ItemEvent } from '../../src/events/contract';
import { eng, feed, H, imp, item, M, make, T0 } from './events';

/** launch: an item event and `perHour` impressions in each of its first `hours` hours, evenly spaced. */
function launch(id: string, at: number, perHour: number, hours: number, o: Partial<ItemEvent> = {}) {
  const out: Array<{ ts: number; type: string }> = [item(id, at, o)];
  for (let h = 0; h < hours; h++) for (let i = 0; i < perHour; i++) out.push(imp(id, at + h * H + Math.floor(((i + 0.5) * H) / perHour)));
  return out;
}

const refs = (n: number, perHour: number, cohort?: string) => Array.from({ length: n }, (_, i) => launch(`${cohort ?? 'ref'}-${i}`, T0, perHour, 8, { cohort })).flat();

describe('launch-curve: exposure since launch against comparable launches at the same age', () => {
  test('an item with no impressions while five earlier launches had 100 an hour is named with their band', () => {
    const c = make(launchCurveKind, { window: '15m' });
    const engagements = Array.from({ length: 5 }, (_, i) => Array.from({ length: 80 }, (_, k) => eng(`ref-${i}`, T0 + k * 6 * M))).flat(); // 10 an hour
    feed(c, [...refs(5, 100), ...engagements, ...launch('starved', T0 + 5 * H, 0, 3)]);
    const [o] = c.close(T0 + 7.75 * H, T0 + 8 * H);
    expect(o.value).toBe(1);
    expect(o.summary).toBe('1 new item(s) far below comparable launches at the same age (impressions): starved 0 vs 300 in 3h');
    expect(o.evidence).toEqual([
      { name: 'item=starved', value: 0, reference: 300, note: '0 impressions in its first 3h; cohort (none) had 300 (p10–p90 300–300, 5 launches); 0 engagements (they had 30)' },
    ]);
    expect(o.details).toMatchObject({ new_items_judged: 6, under_exposed_share: 1 / 6 });
  });

  test('each under-exposed item is its own series, so a second one pages while the first is still under', () => {
    const c = make(launchCurveKind, { window: '15m' });
    // a shows nothing from +5h; b launches at +6h and shows nothing either; at +9h a recovers
    feed(c, [...refs(5, 100), ...launch('a', T0 + 5 * H, 0, 3), ...launch('b', T0 + 6 * H, 0, 3)]);
    const bySeries = (os: ReturnType<typeof c.close>) => Object.fromEntries(os.filter((o) => !o.informational).map((o) => [o.labels.segment, o.value]));
    const first = c.close(T0 + 5.75 * H, T0 + 6 * H);
    expect(first[0]).toMatchObject({ labels: {}, value: 1, informational: true });
    expect(bySeries(first)).toEqual({ 'item=a': 1 });
    expect(first[1].summary).toBe('new item far below comparable launches at the same age (impressions): a 0 vs 100 in 1h');
    expect(bySeries(c.close(T0 + 7.75 * H, T0 + 8 * H))).toEqual({ 'item=a': 1, 'item=b': 1 });
    // a gets its due (1000 impressions in its 4th hour): its series reads 0 once, then is no longer reported
    feed(c, Array.from({ length: 1000 }, (_, i) => imp('a', T0 + 8 * H + i * 3_000)));
    expect(bySeries(c.close(T0 + 8.75 * H, T0 + 9 * H))).toEqual({ 'item=a': 0, 'item=b': 1 });
    expect(bySeries(c.close(T0 + 9 * H, T0 + 9.25 * H))).toEqual({ 'item=b': 1 });
  });

  test('a trickle far below the band of the cohort is under-exposed; half of it is not', () => {
    const trickle = make(launchCurveKind, { window: '15m' });
    feed(trickle, [...refs(5, 100), ...launch('trickle', T0 + 5 * H, 10, 3)]);
    // 30 < 0.2 × the band's low edge 300, and P(X ≤ 30 | 60) ≈ 7e-5 < 0.001
    expect(trickle.close(T0 + 7.75 * H, T0 + 8 * H)[0].evidence!.map((e) => e.name)).toEqual(['item=trickle']);
    const half = make(launchCurveKind, { window: '15m' });
    feed(half, [...refs(5, 100), ...launch('half', T0 + 5 * H, 50, 3)]);
    expect(half.close(T0 + 7.75 * H, T0 + 8 * H)[0].value).toBe(0); // 150 is not below 60
  });

  test('a starved item launched first is compared at the age five later launches have reached', () => {
    const c = make(launchCurveKind, { window: '15m' });
    const later = [1, 2, 3, 4, 5].flatMap((h) => launch(`later-${h}`, T0 + h * H, 100, 8 - h));
    feed(c, [...launch('first', T0, 0, 8), ...later]);
    // at +8h the later ones have lived 7, 6, 5, 4 and 3 hours: the fifth sets the age, 3h
    const [o] = c.close(T0 + 7.75 * H, T0 + 8 * H);
    expect(o.summary).toBe('1 new item(s) far below comparable launches at the same age (impressions): first 0 vs 300 in 3h');
  });

  test('quiet while learning: with four earlier launches nothing is judged', () => {
    const c = make(launchCurveKind, { window: '15m' });
    feed(c, [...refs(4, 100), ...launch('starved', T0 + 5 * H, 0, 3)]);
    const [o] = c.close(T0 + 7.75 * H, T0 + 8 * H);
    expect(o.value).toBe(0);
    expect(o.details).toMatchObject({ new_items_judged: 0 });
  });

  test('an item is compared with its own cohort; with too few there, with all launches', () => {
    const c = make(launchCurveKind, { window: '15m' });
    // kids titles get 50 an hour, drama 1000: a kids launch at 50 an hour is normal for kids
    feed(c, [...refs(5, 1000, 'drama'), ...refs(5, 50, 'kids'), ...launch('new-kids', T0 + 5 * H, 50, 3, { cohort: 'kids' })]);
    expect(c.close(T0 + 7.75 * H, T0 + 8 * H)[0].value).toBe(0); // 150 vs kids' band 150–150: fine

    const pooled = make(launchCurveKind, { window: '15m' });
    feed(pooled, [...refs(9, 1000, 'drama'), ...refs(1, 50, 'kids'), ...launch('new-kids', T0 + 5 * H, 50, 3, { cohort: 'kids' })]);
    const [o] = pooled.close(T0 + 7.75 * H, T0 + 8 * H);
    // one kids launch is too few: against all ten, p10 = 150 + 0.9 × (3000 − 150) = 2715, and 150 < 0.2 × 2715
    expect(o.evidence!.find((e) => e.name === 'item=new-kids')!.note).toContain('all launches had 3000 (p10–p90 2715–3000, 10 launches)');
  });

  test('engagements can be the measure', () => {
    const c = make(launchCurveKind, { window: '15m', measure: 'engagements' });
    const asEngagements = (evs: Array<{ ts: number; type: string }>) => evs.map((e) => (e.type === 'impression' ? { ...e, type: 'engagement', action: 'play' } : e));
    feed(c, asEngagements([...refs(5, 100), ...launch('unengaging', T0 + 5 * H, 0, 3)]));
    expect(c.close(T0 + 7.75 * H, T0 + 8 * H)[0].summary).toContain('(engagements): unengaging 0 vs 300 in 3h');
  });

  test('a horizon that is not a whole number of buckets is a config problem', () => {
    const r = launchCurveKind.schema.safeParse({ name: 'x', kind: 'launch-curve', bucket: '2h', horizon: '1h' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain('horizon must be at least one bucket');
  });
});

test('an item first seen long after its launch (a catalogue dump after a restart) is not followed: its early counts were never seen', () => {
  const c = make(launchCurveKind, { window: '15m' });
  feed(c, [...refs(6, 100), item('seen-late', T0 + 2 * H, { ts: T0 + 5 * H })]);
  const [o] = c.close(T0 + 7.75 * H, T0 + 8 * H);
  expect(o.value).toBe(0); // followed, it would be 0 vs 600 in 6h
  expect(o.details).toMatchObject({ new_items_judged: 6 });
});
