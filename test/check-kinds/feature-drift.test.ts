import { builtinCheckKinds } from '../../src/check-kinds';
import type { Observation, StreamingCheck } from '../../src/check-kinds/kind';
import type { ServingEvent } from '../../src/events/contract';
import { gaussian, seededRandom } from '../detectors/seeded-random';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

function check(extra: Record<string, unknown> = {}): StreamingCheck {
  const kind = builtinCheckKinds().get('feature-drift');
  const def = kind.schema.parse({ name: 'fd', kind: 'feature-drift', window: '10m', reference_windows: 4, relearn_after: 3, min_samples: 50, ...extra });
  return kind.create(def, {} as never) as StreamingCheck;
}

/** 10-minute windows of 20 requests × 5 candidates: `emb` ~ N(0,1) (or stuck at 0), `genre` a/b/c, context.hour from the clock. */
function runWindows(c: StreamingCheck, windows: number, opts: { stuckFrom?: number; stuckTo?: number; requests?: number } = {}) {
  const rand = seededRandom(5);
  const normal = gaussian(seededRandom(6));
  const out: Observation[][] = [];
  for (let w = 0; w < windows; w++) {
    const ws = T0 + w * 10 * MIN;
    const stuck = opts.stuckFrom !== undefined && w >= opts.stuckFrom && w < (opts.stuckTo ?? Infinity);
    for (let r = 0; r < (opts.requests ?? 20); r++) {
      const e: ServingEvent = {
        type: 'serving', ts: ws + r * 1000, request_id: `r${w}-${r}`, user_id: 'u', model_version: 'v1', latency_ms: 10, scores: [0.1, 0.2, 0.3, 0.4, 0.5],
        context: { hour: Math.floor((ws % 86_400_000) / 3_600_000), device: rand() < 0.5 ? 'tv' : 'phone' },
        candidates: Array.from({ length: 5 }, (_, i) => ({
          item_id: `i${i}`,
          features: { emb: stuck ? 0 : normal(), genre: ['a', 'b', 'c'][Math.floor(rand() * 3)], missing: null },
        })),
      };
      c.add(ws, e);
    }
    out.push(c.close(ws, ws + 10 * MIN));
  }
  return out;
}

const of = (obs: Observation[], feature: string) => obs.find((o) => o.labels.feature === feature)!;

describe('feature-drift', () => {
  test('learning while the reference fills, then 0 for stable features; an embedding stuck at 0 is drift with evidence', () => {
    const out = runWindows(check(), 9, { stuckFrom: 6, stuckTo: 8 });
    expect(out[0].map((o) => o.labels.feature).sort()).toEqual(['context.device', 'context.hour', 'emb', 'genre']); // nulls are not a feature's values
    for (let w = 0; w < 4; w++) {
      expect(of(out[w], 'emb').value).toBeNaN();
      expect(of(out[w], 'emb').details!.basis).toBe(`learning the reference: ${w} of 4 windows`);
    }
    expect(of(out[4], 'emb').value).toBe(0);
    expect(of(out[4], 'genre').value).toBe(0);
    expect(of(out[4], 'genre').details).toMatchObject({ test: 'js', drifted: false, n_current: 100, n_reference: 400 });

    const stuck = of(out[6], 'emb');
    // all 100 values fall into the bin holding 0 of the reference's 10 deciles: PSI ≈ (1 − 0.1)·ln(1/0.1) + 9·(1e-4 − 0.1)·ln(1e-4/0.1) ≈ 8.29
    expect(stuck.value).toBeGreaterThan(8);
    expect(stuck.details).toMatchObject({ test: 'psi', drifted: true, n_current: 100, n_reference: 400 });
    expect(stuck.summary).toMatch(/^feature emb drifted from the last 4 windows: PSI 8\.\d+ \(KS p<0\.001; n=100 vs 400 reference\): drifted$/);
    expect(stuck.evidence![0]).toMatchObject({ name: 'feature=emb', value: stuck.value });
    expect(of(out[6], 'genre').summary).toBeUndefined();

    // the stuck windows were kept out of the reference: the first healthy window after them is 0 again
    expect(of(out[8], 'emb').value).toBe(0);
    expect(of(out[8], 'emb').details!.n_reference).toBe(400);
  });

  test('a clock feature changing inside the reference is not judged, so it never pages at the hour', () => {
    // a 2-hour reference always holds an hour change, so its halves differ for context.hour
    const out = runWindows(check({ reference_windows: 12 }), 36, { requests: 60 }); // 6 hours of 10-minute windows
    const hour = out.slice(12).map((o) => of(o, 'context.hour'));
    expect(hour.every((o) => Number.isNaN(o.value) || o.value === 0)).toBe(true);
    expect(hour.filter((o) => /^reference unstable/.test(String(o.details!.basis))).length).toBeGreaterThan(0);
  });

  test('a shift lasting relearn_after windows becomes the new normal', () => {
    const out = runWindows(check(), 14, { stuckFrom: 5 });
    const emb = out.map((o) => of(o, 'emb').value);
    expect(emb.slice(5, 8).every((v) => v > 8)).toBe(true); // 3 drifted windows…
    // …then the reference restarts from the stuck window and learns 4 windows before judging again
    expect(emb.slice(8, 11).every((v) => Number.isNaN(v))).toBe(true);
  });

  test('too few values: not judged, and the reason is kept', () => {
    const out = runWindows(check({ min_samples: 200 }), 6);
    expect(of(out[5], 'emb').value).toBeNaN();
    expect(of(out[5], 'emb').details!.basis).toBe('not enough data: n=100 current, n=400 reference (need 200 each)');
  });

  test('features, exclude and max_features bound what is tracked', () => {
    expect(runWindows(check({ features: ['emb'] }), 1)[0].map((o) => o.labels.feature)).toEqual(['emb']);
    expect(runWindows(check({ exclude: ['context.hour', 'genre'] }), 1)[0].map((o) => o.labels.feature).sort()).toEqual(['context.device', 'emb']);
    expect(runWindows(check({ max_features: 2 }), 1)[0]).toHaveLength(2);
  });
});
