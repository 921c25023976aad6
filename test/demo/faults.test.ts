import { demoScore } from '../../src/demo/model';
import { defaultFaultSchedule, FaultTimeline } from '../../src/demo/faults';
import type { ServingEvent } from '../../src/events/contract';
import { H, START, engagementRate, impressions, servings, slice, world } from './world-fixture';

const w = world();

/** replayMatches: whether demoScore of the logged inputs reproduces the logged scores exactly. */
function replayMatches(s: ServingEvent): boolean {
  const [r] = demoScore([{ request_id: s.request_id, user_id: s.user_id, context: s.context, candidates: s.candidates }], s.model_version);
  return r.scores.every((x, i) => x === s.scores[i]);
}

const share = <T>(xs: T[], pred: (x: T) => boolean) => xs.filter(pred).length / xs.length;

describe('fault schedule', () => {
  test('the default schedule is queryable at any time and repeats daily', () => {
    const kinds = (h: number) => w.activeFaults(START + h * H).map((f) => f.kind).sort();
    expect(kinds(0.5)).toEqual([]);
    expect(kinds(2)).toEqual(['starved-item']);
    expect(kinds(3.5)).toEqual(['starved-item', 'volume-drop']);
    expect(kinds(5.5)).toEqual(['feature-bug', 'starved-item']);
    expect(kinds(8)).toEqual(['bad-model', 'starved-item']);
    expect(kinds(8.6)).toEqual(['starved-item']);
    expect(kinds(10)).toEqual(['latency-spike', 'starved-item']);
    expect(kinds(11.5)).toEqual(['stale-cache', 'starved-item']);
    expect(kinds(24 + 7.5)).toEqual(['bad-model', 'starved-item', 'starved-item']);
    expect(w.activeFaults(START + 26 * H).filter((f) => f.kind === 'starved-item').map((f) => f.itemId)).toEqual(['item-starved-0', 'item-starved-1']);
  });

  test('transitions list fault starts and ends in time order', () => {
    const t = new FaultTimeline(defaultFaultSchedule(), START).transitions(START, START + 6 * H);
    expect(t.map((x) => `${x.phase} ${x.fault.kind} +${(x.at - START) / H}h`)).toEqual([
      'started starved-item +1h',
      'started volume-drop +3h',
      'ended volume-drop +4h',
      'started feature-bug +5h',
    ]);
  });

  test('an unknown fault kind is refused with the list of kinds', () => {
    expect(() => new FaultTimeline({ faults: [{ kind: 'nope' as never, atMs: 0, durationMs: 1 }] }, START)).toThrow(/available: volume-drop/);
  });
});

describe('fault effects', () => {
  test('volume-drop: home impressions fall to ~15%, other surfaces and serving do not', () => {
    const before = slice(w, 2, 3);
    const during = slice(w, 3, 4);
    const homeShare = (ev: typeof before) =>
      impressions(ev).filter((i) => i.surface === 'home').length / (10 * servings(ev).filter((s) => s.surface === 'home').length);
    expect(homeShare(before)).toBeCloseTo(1, 5);
    expect(homeShare(during)).toBeGreaterThan(0.1);
    expect(homeShare(during)).toBeLessThan(0.2);
    const searchImps = impressions(during).filter((i) => i.surface === 'search').length;
    expect(searchImps).toBe(10 * servings(during).filter((s) => s.surface === 'search').length);
  });

  test('feature-bug: user_item_affinity is null for every candidate, embeddings 0, engagement drops', () => {
    const nullRate = (ev: ServingEvent[]) => {
      const c = ev.flatMap((s) => s.candidates);
      return share(c, (x) => x.features.user_item_affinity === null);
    };
    const before = slice(w, 4, 5);
    const during = slice(w, 5, 6);
    expect(nullRate(servings(before))).toBe(0);
    expect(nullRate(servings(during))).toBe(1);
    const emb = servings(during).flatMap((s) => s.candidates.map((c) => c.features.item_emb_0));
    expect(emb.every((x) => x === 0)).toBe(true);
    expect(engagementRate(during)).toBeLessThan(0.8 * engagementRate(before));
    // the data is broken, the model is not: replaying the logged inputs reproduces the scores
    expect(servings(during).every(replayMatches)).toBe(true);
  });

  test('bad-model: serving switches to v2 and the engagement rate drops by ≥30%', () => {
    const normal = [...slice(w, 1.5, 3), ...slice(w, 8.5, 9.5)];
    const during = slice(w, 7, 8.5);
    expect(new Set(servings(during).map((s) => s.model_version))).toEqual(new Set(['v2']));
    expect(new Set(impressions(during).map((s) => s.model_version))).toEqual(new Set(['v2']));
    expect(new Set(servings(normal).map((s) => s.model_version))).toEqual(new Set(['v1']));
    expect(engagementRate(during)).toBeLessThan(0.7 * engagementRate(normal));
    expect(servings(during).every(replayMatches)).toBe(true);
  });

  test('latency-spike: serving latency ×6', () => {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const before = median(servings(slice(w, 9, 9.5)).map((s) => s.latency_ms));
    const during = median(servings(slice(w, 9.5, 10.25)).map((s) => s.latency_ms));
    expect(before).toBeGreaterThan(30);
    expect(before).toBeLessThan(55);
    expect(during / before).toBeGreaterThan(4.5);
    expect(during / before).toBeLessThan(7.5);
  });

  test('stale-cache: logged scores no longer equal demoScore of the logged inputs; otherwise they do', () => {
    const before = servings(slice(w, 10.5, 11));
    const during = servings(slice(w, 11, 12));
    expect(before.length).toBeGreaterThan(100);
    expect(before.every(replayMatches)).toBe(true);
    expect(share(during, replayMatches)).toBeLessThan(0.02);
  });

  test('starved-item: never shown although it is a candidate, while normal new items are shown within 3h', () => {
    const ev = slice(w, 0, 6);
    const launched = ev.filter((e) => e.type === 'item' && e.item_id === 'item-starved-0');
    expect(launched).toHaveLength(1);
    expect(launched[0].ts).toBe(START + H);
    const asCandidate = servings(ev).filter((s) => s.candidates.some((c) => c.item_id === 'item-starved-0'));
    expect(asCandidate.length).toBeGreaterThan(50);
    const shown = new Map<string, number>();
    for (const i of impressions(ev)) if (!shown.has(i.item_id)) shown.set(i.item_id, i.ts);
    expect(shown.has('item-starved-0')).toBe(false);

    const newItems = ev.filter((e) => e.type === 'item' && e.item_id.startsWith('item-new-') && e.type === 'item' && e.launch_ts < START + 3 * H);
    expect(newItems.length).toBeGreaterThanOrEqual(1);
    for (const item of newItems) {
      if (item.type !== 'item') continue;
      const first = shown.get(item.item_id);
      expect(first).toBeDefined();
      expect((first as number) - item.launch_ts).toBeLessThan(3 * H);
    }
  });
});

test('a transition exactly on a step boundary is reported once', () => {
  const t = new FaultTimeline(defaultFaultSchedule(), START);
  const end = START + 4 * H;
  const all = [...t.transitions(end - H / 2, end), ...t.transitions(end, end + H / 2)];
  expect(all.map((x) => `${x.phase} ${x.fault.kind}`)).toEqual(['ended volume-drop']);
});
