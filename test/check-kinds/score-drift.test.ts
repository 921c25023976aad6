import { builtinCheckKinds } from '../../src/check-kinds';
import type { Observation, StreamingCheck } from '../../src/check-kinds/kind';
import type { RecEvent } from '../../src/events/contract';
import { seededRandom } from '../detectors/seeded-random';

const T0 = Date.UTC(2024, 0, 1);
const W = 10 * 60_000;

function check(extra: Record<string, unknown>): StreamingCheck {
  const kind = builtinCheckKinds().get('score-drift');
  const def = kind.schema.parse({ name: 'sd', kind: 'score-drift', window: '10m', reference_windows: 4, min_samples: 50, ...extra });
  return kind.create(def, {} as never) as StreamingCheck;
}

/**
 * Each window: 100 requests showing 3 items with uniform scores; the user engages with the item
 * `engagedOf` picks. A healthy model: the engaged item is the top-scored one.
 */
function window(c: StreamingCheck, w: number, version: string, engagedOf: (scores: number[]) => number, rand: () => number, requests = 100): Observation[] {
  const ws = T0 + w * W;
  for (let r = 0; r < requests; r++) {
    const scores = [rand(), rand(), rand()];
    const events: RecEvent[] = scores.map((score, i) => ({
      type: 'impression', ts: ws + r * 100, request_id: `${w}-${r}`, user_id: 'u', item_id: `i${i}`, position: i, score, model_version: version,
    }));
    const e = engagedOf(scores);
    events.push({ type: 'engagement', ts: ws + r * 100 + 50, user_id: 'u', item_id: `i${e}`, action: 'click', request_id: `${w}-${r}` });
    events.push({ type: 'engagement', ts: ws + r * 100 + 60, user_id: 'u', item_id: `i${e}`, action: 'play', request_id: `${w}-${r}` });
    for (const ev of events) if (c.eventTypes.includes(ev.type)) c.add(ws, ev);
  }
  return c.close(ws, ws + W);
}

const top = (s: number[]) => s.indexOf(Math.max(...s));
const bottom = (s: number[]) => s.indexOf(Math.min(...s));

describe('score-drift', () => {
  test('engaged: a new version whose engaged items are its lowest-scored drifts against all versions’ reference', () => {
    const rand = seededRandom(3);
    const c = check({ source: 'engaged' });
    const out: Observation[][] = [];
    // 4 windows fill v1's reference; the next 4, judged healthy, fill the reference of all versions
    for (let w = 0; w < 8; w++) out.push(window(c, w, 'v1', top, rand));
    expect(out[3][0].value).toBeNaN();
    // one engaged score per shown item although two actions followed: 100 per window
    expect(out[4][0]).toMatchObject({ labels: { model_version: 'v1' }, value: 0, details: { n_current: 100, n_reference: 400, source: 'engaged' } });
    const bad = window(c, 8, 'v2', bottom, rand)[0];
    expect(bad.labels.model_version).toBe('v2');
    // engaged scores: max of 3 uniforms (mean 3/4) before, min of 3 (mean 1/4) now
    expect(bad.value).toBeGreaterThan(1);
    expect(bad.details!.basis).toMatch(/drifted against the reference of all series \(none of its own yet\)$/);
    expect(bad.evidence![0].name).toBe('model_version=v2');
    // the overall distribution of shown scores is the same uniform: source impression sees nothing
    const shown = check({ source: 'impression', min_samples: 100 });
    const rand2 = seededRandom(4);
    for (let w = 0; w < 8; w++) window(shown, w, 'v1', top, rand2);
    expect(window(shown, 8, 'v2', bottom, rand2)[0].value).toBe(0);
  });

  test('a new version whose windows are too thin to judge does not become its own reference', () => {
    const rand = seededRandom(5);
    const c = check({ source: 'engaged' });
    for (let w = 0; w < 8; w++) window(c, w, 'v1', top, rand);
    // a bad version with few engagements: 20 engaged scores a window, under min_samples (50)
    for (let w = 8; w < 14; w++) {
      const thin = window(c, w, 'v2', bottom, rand, 20)[0];
      expect(thin.value).toBeNaN();
    }
    // six thin windows would fill a reference of four (120 values): they were not learned, so the
    // bad version is still compared with all versions' reference, not with itself
    const bad = window(c, 14, 'v2', bottom, rand)[0];
    expect(bad.value).toBeGreaterThan(1);
    expect(bad.details!.basis).toMatch(/against the reference of all series \(none of its own yet\)$/);
  });

  test('serving: every candidate score; too few scores are not judged', () => {
    const c = check({ source: 'serving', min_samples: 500, reservoir_size: 500 });
    const obs = (w: number, n: number) => {
      const ws = T0 + w * W;
      c.add(ws, {
        type: 'serving', ts: ws, request_id: `r${w}`, user_id: 'u', model_version: 'v1', context: {}, latency_ms: 1,
        candidates: [], scores: Array.from({ length: n }, (_, i) => i / n),
      });
      return c.close(ws, ws + W)[0];
    };
    for (let w = 0; w < 4; w++) obs(w, 500);
    expect(obs(4, 500).value).toBe(0);
    expect(obs(5, 100).details!.basis).toBe('not enough data: n=100 current, n=2000 reference (need 500 each)');
  });
});
