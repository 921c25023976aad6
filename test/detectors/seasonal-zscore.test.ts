import { createDetector } from '../../src/detectors';
import { gaussian, seededRandom } from './seeded-random';

const DAY0 = Date.UTC(2024, 0, 1); // a UTC midnight, so phase buckets are clock hours
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('seasonal-zscore', () => {
  test('the baseline is the same bucket of earlier periods, computed by hand', () => {
    // period 1h, bucket 15m: bucket 0 is minutes 0–15 of each hour.
    const d = createDetector('seasonal-zscore', { period: '1h', bucket: '15m', seasons: 3 });
    d.observe(DAY0 + 0 * MIN, 10);
    d.observe(DAY0 + 5 * MIN, 12);
    d.observe(DAY0 + 20 * MIN, 1000); // bucket 1: must not leak into bucket 0
    const one = d.observe(DAY0 + 60 * MIN, 11); // season 1: only 1 earlier season → not ready
    expect(one).toMatchObject({ ready: false, expected: null, isAnomaly: false });
    expect(one.basis).toBe('learning: 1 of 2 earlier periods have values at +0s..+15m of each 1h');
    d.observe(DAY0 + 65 * MIN, 13);
    // season 2, bucket 0: baseline [10, 12, 11, 13] → median 11.5; |x − 11.5| = 1.5 .5 .5 1.5 → MAD 1
    // scale max(1.4826, 0.05·11.5 = 0.575) = 1.4826 → band 11.5 ± 5.9304 = [5.5696, 17.4304]
    const r = d.observe(DAY0 + 121 * MIN, 17.4, { learn: false });
    expect(r.ready).toBe(true);
    expect(r.expected!.lower).toBeCloseTo(5.5696, 10);
    expect(r.expected!.upper).toBeCloseTo(17.4304, 10);
    expect(r.isAnomaly).toBe(false);
    expect(r.basis).toBe(
      'median ± 4·1.4826·MAD of 4 values at +0s..+15m of each 1h over the last 2 periods (median 11.5, MAD 1)',
    );
    expect(d.observe(DAY0 + 122 * MIN, 17.5, { learn: false }).isAnomaly).toBe(true);
  });

  test('only the last `seasons` periods count', () => {
    // seasons 2, bucket 0 of hours 0,1,2 hold 100, 10, 10; at hour 3 the baseline is hours 1–2 only.
    const d = createDetector('seasonal-zscore', { period: '1h', bucket: '30m', seasons: 2 });
    for (const [h, v] of [[0, 100], [1, 10], [2, 10]]) d.observe(DAY0 + h * HOUR, v);
    const r = d.observe(DAY0 + 3 * HOUR, 10);
    expect(r.expected).toEqual({ lower: 8, upper: 12 }); // median 10, MAD 0 → scale 0.05·10 = 0.5
    expect(r.basis).toContain('2 values');
  });

  test('daily cycle: no false alarm after warm-up; a one-hour drop on day 4 is flagged', () => {
    // 5-minute points over 5 days: 1000 + 400·sin(2π·hour/24) + N(0, 20); peak 1400 at 06:00.
    // On day 4 (index 3), 06:00–07:00 drops to 65% (~910): inside the day's range [600, 1400].
    const noise = gaussian(seededRandom(2024));
    const series: { t: number; v: number; drop: boolean }[] = [];
    for (let t = DAY0; t < DAY0 + 5 * DAY; t += 5 * MIN) {
      const hour = ((t - DAY0) % DAY) / HOUR;
      const drop = t >= DAY0 + 3 * DAY + 6 * HOUR && t < DAY0 + 3 * DAY + 7 * HOUR;
      const v = (1000 + 400 * Math.sin((2 * Math.PI * hour) / 24) + 20 * noise()) * (drop ? 0.65 : 1);
      series.push({ t, v, drop });
    }
    expect(series).toHaveLength(1440);

    const seasonal = createDetector('seasonal-zscore', { period: '1d', bucket: '1h' });
    const flagged: number[] = [];
    series.forEach(({ t, v }, i) => {
      const r = seasonal.observe(t, v);
      expect(r.ready).toBe(t >= DAY0 + 2 * DAY); // min_seasons 2: ready from day 3 on
      if (r.isAnomaly) flagged.push(i);
    });
    const dropIdx = series.flatMap((p, i) => (p.drop ? [i] : []));
    expect(dropIdx).toHaveLength(12);
    expect(flagged).toEqual(dropIdx);

    // Contrast: a one-day rolling median/MAD sees the whole cycle as noise and misses the drop.
    const rolling = createDetector('robust-zscore', { window: 288 });
    const rollingFlags = series.filter(({ t, v }) => rolling.observe(t, v).isAnomaly);
    expect(rollingFlags).toHaveLength(0);
  });

  test('direction=down ignores rises', () => {
    const d = createDetector('seasonal-zscore', { period: '1h', bucket: '1h', direction: 'down' });
    d.observe(DAY0, 10);
    d.observe(DAY0 + HOUR, 10);
    const r = d.observe(DAY0 + 2 * HOUR, 1000, { learn: false });
    expect(r).toMatchObject({ ready: true, score: 0, isAnomaly: false, expected: { lower: 8, upper: null } });
    expect(d.observe(DAY0 + 2 * HOUR, 5, { learn: false }).isAnomaly).toBe(true);
  });

  test('learn:false keeps the same-hour baseline for the next period', () => {
    const d = createDetector('seasonal-zscore', { period: '1h', bucket: '1h', seasons: 3 });
    d.observe(DAY0, 10);
    d.observe(DAY0 + HOUR, 10);
    for (let m = 0; m < 60; m += 5) expect(d.observe(DAY0 + 2 * HOUR + m * MIN, 50, { learn: false }).isAnomaly).toBe(true);
    expect(d.observe(DAY0 + 3 * HOUR, 50, { learn: false }).isAnomaly).toBe(true);
  });

  test('params: durations are parsed; bucket must divide period', () => {
    expect(() => createDetector('seasonal-zscore', { period: '1d', bucket: '7m' })).toThrow(
      'params.bucket: bucket (7m) must divide period (1d) evenly',
    );
    expect(() => createDetector('seasonal-zscore', { period: 'daily' })).toThrow('params.period: invalid duration "daily"');
    expect(() => createDetector('seasonal-zscore', { seasons: 2, min_seasons: 3 })).toThrow(
      'params.min_seasons: min_seasons must not exceed seasons',
    );
    expect(() => createDetector('seasonal-zscore', { period: 3_600_000, bucket: '5m' })).not.toThrow();
  });
});
