import { builtinCheckKinds } from '../../src/check-kinds';
import type { StreamingCheck } from '../../src/check-kinds/kind';
import { ShownImpressions } from '../../src/check-kinds/shown-impressions';
import type { RecEvent } from '../../src/events/contract';
import { seededRandom } from '../detectors/seeded-random';
import { runInTurn, streamingCheck, T0 } from './helpers';

const W = 10 * 60_000;

const create = (kind: string, extra: Record<string, unknown>, shownImpressions?: ShownImpressions): StreamingCheck =>
  streamingCheck(builtinCheckKinds().get(kind), { window: '10m', ...extra }, { shownImpressions });

/** windows of requests showing 4 items on two surfaces and versions; users engage (once or twice) with a random one */
function stream(windows: number): RecEvent[][] {
  const rand = seededRandom(11);
  return Array.from({ length: windows }, (_, w) => {
    const ws = T0 + w * W;
    const events: RecEvent[] = [];
    for (let r = 0; r < 200; r++) {
      const request_id = `${w}-${r}`;
      const version = r % 3 ? 'v1' : 'v2';
      for (let i = 0; i < 4; i++)
        events.push({ type: 'impression', ts: ws + r, request_id, user_id: 'u', item_id: `i${i}`, position: i, score: rand(), model_version: version, surface: r % 2 ? 'home' : undefined });
      const item = `i${Math.floor(rand() * 4)}`;
      events.push({ type: 'engagement', ts: ws + r + 1, user_id: 'u', item_id: item, action: 'play', request_id });
      if (rand() < 0.3) events.push({ type: 'engagement', ts: ws + r + 2, user_id: 'u', item_id: item, action: 'like', request_id });
      // an engagement with no impression behind it is not joined
      events.push({ type: 'engagement', ts: ws + r + 3, user_id: 'u', item_id: 'i9', action: 'play', request_id });
    }
    return events;
  });
}

/** run: each check takes a run of 100 events in turn, as the engine hands them a chunk */
const run = (checks: StreamingCheck[], windows: RecEvent[][]) => runInTurn(checks, windows, 100);

describe('ShownImpressions: one table of shown items for the checks that join engagements', () => {
  test('engaged-rank and score-drift sharing the table report what each reports with a table of its own', () => {
    const windows = stream(8);
    const rank = { min_engagements: 1, by: ['surface', 'model_version'] };
    const drift = { source: 'engaged', reference_windows: 4, min_samples: 20 };
    const shared = new ShownImpressions();
    const together = run([create('engaged-rank', rank, shared), create('score-drift', drift, shared)], windows);
    const alone = [run([create('engaged-rank', rank)], windows), run([create('score-drift', drift)], windows)];
    for (let w = 0; w < windows.length; w++) {
      expect(together[w][0]).toEqual(alone[0][w][0]);
      expect(together[w][1]).toEqual(alone[1][w][0]);
    }
    // the join found something: series per surface × version, one engaged score per shown item
    const labels = together[7][0].map((o) => o.labels);
    expect(labels).toHaveLength(4);
    expect(labels).toEqual(expect.arrayContaining([
      { measure: 'mean_position', model_version: 'v1', surface: 'home' },
      { measure: 'mean_position', model_version: 'v1', surface: 'none' },
      { measure: 'mean_position', model_version: 'v2', surface: 'home' },
      { measure: 'mean_position', model_version: 'v2', surface: 'none' },
    ]));
    const engagedScores = together[7][1].reduce((n, o) => n + Number(o.details?.n_current ?? 0), 0);
    expect(engagedScores).toBe(200);
  });

  test('a capacity is asked for before the first impression, not after', () => {
    const shared = new ShownImpressions().want(10);
    shared.remember({ type: 'impression', ts: T0, request_id: 'r', user_id: 'u', item_id: 'i', position: 2, score: 0.5, model_version: 'v1' });
    expect(() => shared.want(20)).toThrow(/after the first impression/);
    const slot = shared.find({ type: 'engagement', ts: T0, user_id: 'u', item_id: 'i', action: 'play', request_id: 'r' });
    expect([shared.position(slot), shared.score(slot), shared.labels(slot)]).toEqual([2, 0.5, { surface: 'none', model_version: 'v1' }]);
  });

  test("an impression's position, labels and each check's flag are kept apart (they share one number per slot)", () => {
    const shared = new ShownImpressions().want(10);
    const [engaged, other] = [shared.claimMark(), shared.claimMark()];
    const impression = (item_id: string, position: number, surface: string) => ({ type: 'impression' as const, ts: T0, request_id: 'r', user_id: 'u', item_id, position, score: 0.25, model_version: 'v7', surface });
    shared.remember(impression('a', 123_456_789, 'home'));
    shared.remember(impression('b', 0, 'search'));
    const find = (item_id: string) => shared.find({ type: 'engagement', ts: T0, user_id: 'u', item_id, action: 'play', request_id: 'r' });
    const [a, b] = [find('a'), find('b')];
    shared.mark(a, engaged);
    shared.mark(a, engaged); // a second mark changes nothing
    shared.mark(b, other);
    expect([shared.position(a), shared.labels(a), shared.marked(a, engaged), shared.marked(a, other)]).toEqual([123_456_789, { surface: 'home', model_version: 'v7' }, true, false]);
    expect([shared.position(b), shared.labels(b), shared.marked(b, engaged), shared.marked(b, other)]).toEqual([0, { surface: 'search', model_version: 'v7' }, false, true]);
    for (let i = 2; i < 8; i++) shared.claimMark();
    expect(() => shared.claimMark()).toThrow(/at most 8 checks/);
  });
});

describe('engaged-rank at a volume join_capacity cannot hold for the join window', () => {
  /**
   * 3 hours of 3000 requests an hour, 10 impressions each (30 000 an hour); a third of the requests
   * bring an engagement 20 minutes later, at position (request mod 6): a true mean position of 2.5.
   * join_capacity 5000 holds 10 minutes of impressions, the join window is 30 minutes.
   */
  function run(join_sampling: 'auto' | 'off') {
    const c = create('engaged-rank', { window: '15m', min_engagements: 20, join_capacity: 5000, join_window: '30m', join_sampling }, new ShownImpressions());
    const W15 = 15 * 60_000;
    const perWindow = 750;
    const pending: RecEvent[] = []; // engagements to come, in time order
    const out: Array<{ value: number; engagements: number; sampled: unknown } | undefined> = [];
    for (let w = 0; w < 12; w++) {
      const ws = T0 + w * W15;
      for (let r = 0; r < perWindow; r++) {
        const n = w * perWindow + r;
        const ts = ws + r * 1200;
        while (pending.length && pending[0].ts <= ts) c.add(ws, pending.shift()!);
        for (let i = 0; i < 10; i++) c.add(ws, { type: 'impression', ts, request_id: `r${n}`, user_id: `u${n}`, item_id: `i${i}`, position: i, score: 0.5, model_version: 'v1', surface: 'home' });
        if (n % 3 === 0) pending.push({ type: 'engagement', ts: ts + 20 * 60_000, user_id: `u${n}`, item_id: `i${(n / 3) % 6}`, action: 'play', request_id: `r${n}` });
      }
      const [obs] = c.close(ws, ws + W15);
      out.push(obs && { value: obs.value, engagements: Number(obs.details?.engagements), sampled: obs.details?.sampled_requests });
    }
    return out.slice(2);
  }

  test('auto: the impressions of 1 request in 4 (or 8) are kept for the whole window, their engagements all joined', () => {
    const ws = run('auto');
    for (const w of ws) {
      // 15 000 impressions per join window: 1 request in 4 fits 5000; a chance crowd of requests may
      // have taken it to 1 in 8 (samples are whole requests of 10 impressions)
      expect([1 / 4, 1 / 8]).toContain(w!.sampled);
      expect(w!.value).toBeGreaterThan(2.1);
      expect(w!.value).toBeLessThan(2.9);
      expect(w!.engagements).toBeGreaterThan((250 * Number(w!.sampled)) / 1.4); // the sampled share of the window's 250 engagements
    }
  });

  test('off: the table forgets impressions after 10–20 minutes and the engagements 20 minutes later go unjoined', () => {
    for (const w of run('off')) expect(w).toBeUndefined(); // fewer than min_engagements joined
  });
});
