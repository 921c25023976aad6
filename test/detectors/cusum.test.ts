import { createDetector } from '../../src/detectors';
import { gaussian, seededRandom } from './seeded-random';

const T0 = Date.UTC(2024, 0, 1);
const STEP = 300_000;

describe('cusum', () => {
  test('sums by hand: S⁺ = max(0, S⁺ + z − k), alarm above h, restart after the alarm', () => {
    // flat baseline 10 → MAD 0 → scale = 0.1·|10| = 1, so z = x − 10.
    const d = createDetector('cusum', { window: 4, min_history: 4, min_relative_scale: 0.1 });
    for (let i = 0; i < 4; i++) d.observe(T0 + i * STEP, 10);
    const seen = [11.5, 12, 13, 12, 11.5, 10].map((v, i) => d.observe(T0 + (4 + i) * STEP, v, { learn: false }));
    // z:   1.5   2     3     2      1.5   0
    // S⁺:  1.0   2.5   5.0   6.5→0  1.0   0.5       (k 0.5, h 5; 5.0 is not above 5)
    expect(seen.map((r) => r.isAnomaly)).toEqual([false, false, false, true, false, false]);
    expect(seen.map((r) => r.basis.match(/S⁺ ([\d.]+)/)![1])).toEqual(['1', '2.5', '5', '6.5', '1', '0.5']);
    // the band is the values that keep S⁺ ≤ h: upper = 10 + (h + k − S⁺)·1, before the value moves it
    expect(seen.map((r) => r.expected!.upper)).toEqual([15.5, 14.5, 13, 10.5, 15.5, 14.5]);
    expect(seen[3].score).toBeCloseTo(6.5 ** 4 / (6.5 ** 4 + 5 ** 4), 12);
    expect(seen[0].basis).toBe('CUSUM of robust z against median 10, scale 1 of the last 4 values: S⁺ 1, S⁻ 0 (slack k 0.5, alarm above h 5)');
  });

  test('S⁻ accumulates drops; direction up ignores them', () => {
    const both = createDetector('cusum', { window: 4, min_history: 4, min_relative_scale: 0.1 });
    const up = createDetector('cusum', { window: 4, min_history: 4, min_relative_scale: 0.1, direction: 'up' });
    for (let i = 0; i < 4; i++) [both, up].forEach((d) => d.observe(T0 + i * STEP, 10));
    const drops = [7, 7, 8]; // z −3, −3, −2 → S⁻ 2.5, 5, 6.5 → alarm on the third
    expect(drops.map((v, i) => both.observe(T0 + (4 + i) * STEP, v, { learn: false }).isAnomaly)).toEqual([false, false, true]);
    expect(drops.map((v, i) => up.observe(T0 + (4 + i) * STEP, v, { learn: false }).score)).toEqual([0, 0, 0]);
  });

  test('learn:false judges without moving the baseline', () => {
    const d = createDetector('cusum', { window: 4, min_history: 4, min_relative_scale: 0.1, h: 100 });
    for (let i = 0; i < 4; i++) d.observe(T0 + i * STEP, 10);
    for (let i = 0; i < 10; i++) d.observe(T0 + (4 + i) * STEP, 50, { learn: false });
    expect(d.observe(T0 + 20 * STEP, 10, { learn: false }).basis).toContain('median 10, scale 1 of the last 4 values');
    // learned values do enter it: [10, 10, 50, 60] → median 30, MAD median(20, 20, 20, 30) = 20 → scale 1.4826·20
    d.observe(T0 + 21 * STEP, 50);
    d.observe(T0 + 22 * STEP, 60);
    expect(d.observe(T0 + 23 * STEP, 30, { learn: false }).basis).toContain('median 30, scale 29.65 of the last 4 values');
  });

  test('a slow leak of 1% per window: robust-zscore never fires, cusum does within a few hours', () => {
    // 2 days flat at 1000 with 1% noise, then −1% per 5-minute window (compounding) for 4 hours.
    const noise = gaussian(seededRandom(7));
    const series: number[] = [];
    for (let i = 0; i < 576; i++) series.push(1000 * (1 + 0.01 * noise()));
    for (let i = 1; i <= 48; i++) series.push(1000 * 0.99 ** i * (1 + 0.01 * noise()));
    const cusum = createDetector('cusum', { direction: 'down' });
    const zscore = createDetector('robust-zscore', { direction: 'down' });
    const alarm = (d: ReturnType<typeof createDetector>) => {
      let first = -1;
      let active = false;
      series.forEach((v, i) => {
        const r = d.observe(T0 + i * STEP, v, { learn: !active }); // as the evaluator: no learning while firing
        active = r.isAnomaly;
        if (r.isAnomaly && first < 0) first = i;
      });
      return first;
    };
    expect(alarm(zscore)).toBe(-1);
    const first = alarm(cusum);
    expect(first).toBeGreaterThanOrEqual(576); // no false alarm over the 2 flat days
    expect(first - 576 + 1).toBeLessThanOrEqual(6); // on the 5th window of the leak with this seed (−5%)
  });
});
