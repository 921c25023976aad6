import { DEMO_CANDIDATE_FEATURES, demoScore } from '../../src/demo/model';
import { ModelError } from '../../src/errors';
import type { ModelRequest } from '../../src/model/protocol';
import { capturedRequests } from '../model/fixtures';

describe('demoScore', () => {
  const requests = capturedRequests(20);

  test('is pure: the same inputs always give the same scores, one per candidate in (0, 1]', () => {
    const a = demoScore(requests, 'v1');
    const b = demoScore(JSON.parse(JSON.stringify(requests)) as ModelRequest[], 'v1');
    expect(b).toEqual(a);
    for (const [i, r] of a.entries()) {
      expect(r.request_id).toBe(requests[i].request_id);
      expect(r.scores).toHaveLength(requests[i].candidates.length);
      for (const s of r.scores) expect(s > 0 && s <= 1).toBe(true);
    }
    expect(Object.keys(requests[0].candidates[0].features).sort()).toEqual([...DEMO_CANDIDATE_FEATURES].sort());
  });

  test('v1 ranks by affinity; v2 (the sign bug) ranks against it; v1.1 is close to v1', () => {
    const corr = (version: string) => {
      let agree = 0;
      let total = 0;
      for (const [i, r] of demoScore(requests, version).entries()) {
        const aff = requests[i].candidates.map((c) => c.features.user_item_affinity as number);
        for (let x = 0; x < aff.length; x++)
          for (let y = x + 1; y < aff.length; y++) {
            total++;
            if (Math.sign(aff[x] - aff[y]) === Math.sign(r.scores[x] - r.scores[y])) agree++;
          }
      }
      return agree / total;
    };
    expect(corr('v1')).toBeGreaterThan(0.75);
    expect(corr('v1.1')).toBeGreaterThan(0.75);
    expect(corr('v2')).toBeLessThan(0.3);
  });

  test('a null feature counts as 0, a negative age (not launched) scores exactly 0', () => {
    const base: ModelRequest = {
      request_id: 'r', user_id: 'u', context: { device: 'tv', hour_of_day: 20 },
      candidates: [
        { item_id: 'a', features: { user_item_affinity: null, item_age_hours: 500 } },
        { item_id: 'b', features: { user_item_affinity: 0, item_age_hours: 500 } },
        { item_id: 'c', features: { user_item_affinity: 0.9, item_age_hours: -10 } },
      ],
    };
    const [r] = demoScore([base], 'v1');
    expect(r.scores[0]).toBe(r.scores[1]);
    expect(r.scores[2]).toBe(0);
  });

  test('an unknown version is a non-retriable ModelError listing the versions', () => {
    expect(() => demoScore(requests, 'v9')).toThrow(ModelError);
    expect(() => demoScore(requests, 'v9')).toThrow(/v1, v1\.1, v2/);
  });
});
