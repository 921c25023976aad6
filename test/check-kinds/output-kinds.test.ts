import { engagementRateKind } from '../../src/check-kinds/engagement-rate';
import { engagedRankKind } from '../../src/check-kinds/engaged-rank';
import { catalogCoverageKind } from '../../src/check-kinds/catalog-coverage';
import { popularityConcentrationKind } from '../../src/check-kinds/popularity-concentration';
import { slateSizeKind } from '../../src/check-kinds/slate-size';
import { modelVersionMixKind } from '../../src/check-kinds/model-version-mix';
import { closeWindow, eng, imp, serving, streaming } from './events';

const MIN = 60_000;

describe('engagement-rate joined by user and item', () => {
  test('engagements without request_id are credited to the surface their item was shown on', () => {
    const check = streaming(engagementRateKind, { by: ['surface'], join: 'user_item', join_window: '10m', min_impressions: 1 });
    const obs = closeWindow(check, [
      imp(0, 'r1', 'u1', 'a', 0, { surface: 'home' }),
      imp(0, 'r1', 'u1', 'b', 1, { surface: 'home' }),
      imp(0, 'r2', 'u2', 'a', 0, { surface: 'search' }),
      imp(0, 'r2', 'u2', 'c', 1, { surface: 'search' }),
      eng(MIN, 'u1', 'a'), // home
      eng(MIN, 'u2', 'a'), // search
      eng(2 * MIN, 'u2', 'c'), // search
      eng(11 * MIN, 'u1', 'b'), // 11 minutes later: outside join_window, not credited
      eng(MIN, 'u3', 'a'), // never shown to u3
    ]);
    const rate = Object.fromEntries(obs.map((o) => [o.labels.surface, o.value]));
    expect(rate).toEqual({ home: 0.5, search: 1 });
  });

  test('with join: request (the default) an engagement without request_id joins nothing', () => {
    const check = streaming(engagementRateKind, { by: ['surface'], min_impressions: 1 });
    const obs = closeWindow(check, [imp(0, 'r1', 'u1', 'a', 0, { surface: 'home' }), eng(MIN, 'u1', 'a'), eng(MIN, 'u1', 'a', { request_id: 'r1' })]);
    expect(obs.map((o) => o.value)).toEqual([1]);
  });
});

describe('engaged-rank', () => {
  // one slate of 10 to each of 4 users; engagements at positions 0, 1, 2 and 9
  const slates = ['u1', 'u2', 'u3', 'u4'].flatMap((u, r) =>
    Array.from({ length: 10 }, (_, p) => imp(0, `r${r}`, u, `item-${p}`, p, { model_version: r < 2 ? 'v1' : 'v2' })),
  );
  const engaged = [eng(MIN, 'u1', 'item-0', { request_id: 'r0' }), eng(MIN, 'u2', 'item-1', { request_id: 'r1' }), eng(MIN, 'u3', 'item-2', { request_id: 'r2' }), eng(MIN, 'u4', 'item-9', { request_id: 'r3' })];

  test('mean position of engaged impressions, with the items engaged far down as evidence', () => {
    const [o] = closeWindow(streaming(engagedRankKind, { min_engagements: 4, k: 5 }), [...slates, ...engaged]);
    expect(o.labels).toEqual({ measure: 'mean_position' });
    expect(o.value).toBe((0 + 1 + 2 + 9) / 4);
    expect(o.details).toMatchObject({ engagements: 4, median_position: 1, share_beyond_5: 0.25 });
    expect(o.evidence).toEqual([{ name: 'item=item-9', value: 1, note: '1 engagement(s) at position ≥ 5' }]);
  });

  test('share beyond k and a quantile, per model version', () => {
    const share = closeWindow(streaming(engagedRankKind, { statistic: 'share_beyond', k: 2, by: ['model_version'], min_engagements: 1 }), [...slates, ...engaged]);
    expect(share.map((o) => [o.labels.model_version, o.labels.measure, o.value])).toEqual([
      ['v1', 'share_beyond_2', 0],
      ['v2', 'share_beyond_2', 1],
    ]);
    const [q] = closeWindow(streaming(engagedRankKind, { statistic: 'quantile', quantile: 0.75, min_engagements: 1 }), [...slates, ...engaged]);
    expect([q.labels.measure, q.value]).toEqual(['p75_position', 2]);
  });

  test('joins by user and item when engagements carry no request_id; quiet windows are not judged', () => {
    const noIds = engaged.map((e) => ({ ...e, request_id: undefined }));
    const [o] = closeWindow(streaming(engagedRankKind, { join: 'user_item', min_engagements: 4 }), [...slates, ...noIds]);
    expect(o.value).toBe(3);
    expect(closeWindow(streaming(engagedRankKind, { min_engagements: 5 }), [...slates, ...engaged])).toEqual([]);
  });

  test('k beyond max_position is refused with the field named', () => {
    const r = engagedRankKind.schema.safeParse({ name: 't', kind: 'engaged-rank', k: 20, max_position: 10 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['k']);
  });
});

// impressions: item a ×4, b ×3, c ×2, d ×1 on home; item a ×2 on search
const shown = [
  ...['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'd'].map((item, i) => imp(0, `r${i}`, 'u', item, 0, { surface: 'home' })),
  imp(0, 's1', 'u', 'a', 0, { surface: 'search' }),
  imp(0, 's2', 'u', 'a', 0, { surface: 'search' }),
];

describe('catalog-coverage', () => {
  test('distinct items shown, per surface, with the top items and their share as evidence', () => {
    const obs = closeWindow(streaming(catalogCoverageKind, { by: ['surface'], sample_size: 0, min_impressions: 1, list_items: 2 }), shown);
    expect(obs.map((o) => [o.labels.surface, o.value])).toEqual([
      ['home', 4],
      ['search', 1],
    ]);
    expect(obs[0].evidence).toEqual([
      { name: 'item=a', value: 0.4, note: '40% of impressions' },
      { name: 'item=b', value: 0.3, note: '30% of impressions' },
    ]);
    expect(obs[0].details).toMatchObject({ impressions: 10, distinct_items: 4, capped: false });
  });

  test('counts at most sample_size impressions, and at most max_items items exactly', () => {
    const [sampled] = closeWindow(streaming(catalogCoverageKind, { sample_size: 3, min_impressions: 1 }), shown);
    expect(sampled.value).toBeLessThanOrEqual(3);
    expect(sampled.details).toMatchObject({ impressions: 12, sampled: 3 });
    const [capped] = closeWindow(streaming(catalogCoverageKind, { sample_size: 0, max_items: 2, min_impressions: 1 }), shown);
    expect([capped.value, capped.details!.capped]).toEqual([2, true]);
  });

  test('windows with fewer impressions than min_impressions are not judged', () => {
    expect(closeWindow(streaming(catalogCoverageKind, { sample_size: 0, min_impressions: 13 }), shown)).toEqual([]);
  });
});

describe('popularity-concentration', () => {
  test('Gini of impressions over items: 4,3,2,1 → 0.25 on home; one item → 0 on search', () => {
    const obs = closeWindow(streaming(popularityConcentrationKind, { by: ['surface'], min_impressions: 1, list_items: 1 }), shown);
    expect(obs.map((o) => [o.labels.surface, o.labels.measure, o.value])).toEqual([
      ['home', 'gini', 0.25],
      ['search', 'gini', 0],
    ]);
    expect(obs[0].evidence).toEqual([{ name: 'item=a', value: 0.4, note: '40% of impressions' }]);
    expect(obs[0].details).toMatchObject({ top_items_share: 0.4, impressions: 10 });
  });
});

describe('slate-size', () => {
  test('serving: the share of requests with fewer scores than min_size, naming where they were', () => {
    const check = streaming(slateSizeKind, { min_size: 5, min_requests: 1 });
    const [o] = closeWindow(check, [
      serving(0, 'r1', 0, { surface: 'home' }),
      serving(0, 'r2', 3, { surface: 'home', model_version: 'v2' }),
      serving(0, 'r3', 10, { surface: 'search' }),
      serving(0, 'r4', 10, { surface: 'home' }),
    ]);
    expect([o.labels.measure, o.value]).toEqual(['share_below_5', 0.5]);
    expect(o.details).toMatchObject({ requests: 4, short_slates: 2, mean_size: 23 / 4 });
    expect(o.evidence!.map((e) => [e.name, e.value])).toEqual([
      ['surface=home', 2],
      ['model_version=v1', 1],
      ['model_version=v2', 1],
    ]);
  });

  test('impressions: a slate is the impressions logged per request_id', () => {
    const check = streaming(slateSizeKind, { source: 'impressions', min_size: 2, min_requests: 1, by: ['surface'] });
    const obs = closeWindow(check, [
      imp(0, 'r1', 'u', 'a', 0, { surface: 'home' }),
      imp(0, 'r2', 'u', 'a', 0, { surface: 'home' }),
      imp(0, 'r2', 'u', 'b', 1, { surface: 'home' }),
      imp(0, 'r3', 'u', 'a', 0, { surface: 'search' }),
      imp(0, 'r3', 'u', 'b', 1, { surface: 'search' }),
      imp(0, 'r3', 'u', 'c', 2, { surface: 'search' }),
    ]);
    expect(obs.map((o) => [o.labels.surface, o.value])).toEqual([
      ['home', 0.5],
      ['search', 0],
    ]);
  });
});

describe('model-version-mix', () => {
  const W = 15 * MIN;
  const traffic = (ws: number, mix: Record<string, number>) =>
    Object.entries(mix).flatMap(([v, n]) => Array.from({ length: n }, (_, i) => imp(ws, `${v}-${i}`, 'u', 'a', 0, { model_version: v })));
  const run = (check: ReturnType<typeof streaming>, windows: Array<Record<string, number>>) =>
    windows.map((mix, i) => Object.fromEntries(closeWindow(check, traffic(i * W, mix), i * W).map((o) => [o.labels.model_version, o.value])));

  test('one share per established version; a version that vanished reports 0 until retired', () => {
    const check = streaming(modelVersionMixKind, { window: '15m', min_events: 1, establish_after: 2, retire_after: 2 });
    expect(run(check, [{ v1: 4 }, { v1: 3, v2: 1 }, { v1: 1, v2: 3 }, { v2: 4 }, { v2: 4 }])).toEqual([
      {}, // v1 seen once: not established yet
      { v1: 0.75 }, // v2 seen once
      { v1: 0.25, v2: 0.75 },
      { v1: 0, v2: 1 }, // v1 absent once: still reported, the zero is the news
      { v2: 1 }, // v1 absent twice: retired
    ]);
  });

  test('event_type serving: the share of requests', () => {
    const check = streaming(modelVersionMixKind, { event_type: 'serving', min_events: 1, establish_after: 1 });
    const obs = closeWindow(check, [serving(0, 'r1', 10, { model_version: 'v1' }), serving(0, 'r2', 10, { model_version: 'v1' }), serving(0, 'r3', 10, { model_version: 'v1.1' }), imp(0, 'r1', 'u', 'a', 0, { model_version: 'v9' })]);
    expect(Object.fromEntries(obs.map((o) => [o.labels.model_version, o.value]))).toEqual({ v1: 2 / 3, 'v1.1': 1 / 3 });
  });

  test('the summary gives the mix and the evidence leads with the version that moved most', () => {
    const check = streaming(modelVersionMixKind, { window: '15m', min_events: 1, establish_after: 1 });
    run(check, [{ v1: 10 }]);
    const [o] = closeWindow(check, traffic(W, { v1: 5, v2: 3, v3: 2 }), W).filter((x) => x.labels.model_version === 'v1');
    expect(o.summary).toBe('v1 has 50% of traffic; now v1 50%, v2 30%, v3 20%');
    expect(o.evidence!.map((e) => [e.name, e.value, e.reference])).toEqual([
      ['model_version=v1', 0.5, 1],
      ['model_version=v2', 0.3, 0],
      ['model_version=v3', 0.2, 0],
    ]);
  });
});
