import { createDetector } from '../../src/detectors';
import { gaussian, seededRandom } from './seeded-random';

const MONDAY = Date.UTC(2024, 0, 1); // a Monday, 00:00 UTC
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * A recommender's traffic: a daily curve (trough 500 at 00:00, peak 1500 at 12:00 UTC), weekends 30%
 * lower, 3% noise, sampled at irregular times 2–8 minutes apart (seeded), for `days` days from Monday.
 */
function traffic(seed: number, days: number, fault?: (t: number) => number) {
  const rand = seededRandom(seed);
  const noise = gaussian(seededRandom(seed + 1));
  const out: { t: number; v: number }[] = [];
  for (let t = MONDAY; t < MONDAY + days * DAY; t += Math.round((2 + 6 * rand()) * MIN)) {
    const hour = ((t - MONDAY) % DAY) / HOUR;
    const weekday = new Date(t).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.7 : 1;
    const v = 1000 * (1 - 0.5 * Math.cos((2 * Math.PI * hour) / 24)) * weekend * (1 + 0.03 * noise());
    out.push({ t, v: v * (fault ? fault(t) : 1) });
  }
  return out;
}

describe('seasonal (daily profile × weekday factor)', () => {
  test('band by hand on a tiny case: 12h buckets, two days of profile', () => {
    const d = createDetector('seasonal', { bucket: '12h', weekday_min_buckets: 1, min_residuals: 0 });
    d.observe(MONDAY, 100);
    d.observe(MONDAY + 12 * HOUR, 200);
    d.observe(MONDAY + DAY, 110);
    expect(d.observe(MONDAY + DAY + 12 * HOUR, 210)).toMatchObject({
      ready: false,
      expected: null,
      isAnomaly: false,
      basis: 'learning: 1 of 2 earlier days have values at 12:00–24:00 UTC',
    });
    // Wednesday 00:00: profile median(100, 110) = 105, but no Wednesday factor yet → learning; the
    // value teaches W[Wed] = 105 / 105 = 1.
    expect(d.observe(MONDAY + 2 * DAY, 105)).toMatchObject({ ready: false, basis: 'learning the Wed factor: 0 of 1 buckets seen' });
    // Wednesday 12:00: profile median(200, 210) = 205 × W[Wed] 1 = 205; no residuals yet → floor 5%:
    // band 205 ± 4·0.05·205 = [164, 246].
    const r = d.observe(MONDAY + 2 * DAY + 12 * HOUR, 160, { learn: false });
    expect(r.ready).toBe(true);
    expect(r.expected!.lower).toBeCloseTo(164, 10);
    expect(r.expected!.upper).toBeCloseTo(246, 10);
    expect(r.isAnomaly).toBe(true);
    expect(r.basis).toBe('daily profile 205 at 12:00–24:00 UTC (median of 2 days) × Wed factor 1 = 205 ± 4·5% (noise at the relative floor)');
    expect(d.observe(MONDAY + 2 * DAY + 13 * HOUR, 170, { learn: false }).isAnomaly).toBe(false);
  });

  test('a weekday factor is learned: a Saturday at 70% of the weekday level is expected as such', () => {
    // Mon–Fri 100 at 00:00–12:00, 200 at 12:00–24:00; Saturday both halves at 70%.
    const d = createDetector('seasonal', { bucket: '12h', weekday_min_buckets: 1, min_residuals: 0 });
    for (let day = 0; day < 5; day++) {
      d.observe(MONDAY + day * DAY, 100);
      d.observe(MONDAY + day * DAY + 12 * HOUR, 200);
    }
    d.observe(MONDAY + 5 * DAY, 70); // teaches W[Sat] = 70 / 100 = 0.7
    const r = d.observe(MONDAY + 5 * DAY + 12 * HOUR, 140);
    expect(r.expected!.lower).toBeCloseTo(140 - 4 * 0.05 * 140, 10); // 200 × 0.7 = 140 ± 28
    expect(r.isAnomaly).toBe(false);
    expect(r.basis).toContain('× Sat factor 0.7 = 140');
  });

  test('quiet over a clean third week after two weeks of learning, at irregular times', () => {
    const series = traffic(11, 21);
    const d = createDetector('seasonal');
    const alarms: string[] = [];
    let readyAt = -1;
    for (const { t, v } of series) {
      const r = d.observe(t, v);
      if (r.isAnomaly) alarms.push(new Date(t).toISOString());
      if (r.ready && readyAt < 0) readyAt = t;
      if (!r.ready) expect(r.isAnomaly).toBe(false);
    }
    expect(alarms).toEqual([]);
    // ready on Wednesday (two earlier days of profile) once 3 buckets taught the Wednesday factor
    expect(readyAt).toBeGreaterThanOrEqual(MONDAY + 2 * DAY);
    expect(readyAt).toBeLessThan(MONDAY + 2 * DAY + 6 * HOUR);
  });

  test('the daily-only seasonal-zscore pages on the first weekend; seasonal does not', () => {
    const series = traffic(12, 7);
    const daily = createDetector('seasonal-zscore', { period: '1d', bucket: '1h', direction: 'down' });
    const weekly = createDetector('seasonal', { direction: 'down' });
    const weekend = (t: number) => t >= MONDAY + 5 * DAY;
    expect(series.filter(({ t, v }) => daily.observe(t, v).isAnomaly && weekend(t)).length).toBeGreaterThan(20);
    expect(series.filter(({ t, v }) => weekly.observe(t, v).isAnomaly).length).toBe(0);
  });

  test('a sharp 30% drop and a 50% spike in week 3 are caught on their first evaluation', () => {
    const dropAt = MONDAY + 16 * DAY + 14 * HOUR; // a Wednesday afternoon
    const spikeAt = MONDAY + 19 * DAY + 9 * HOUR; // a Saturday morning
    const fault = (t: number) => (t >= dropAt && t < dropAt + HOUR ? 0.7 : t >= spikeAt && t < spikeAt + HOUR ? 1.5 : 1);
    const d = createDetector('seasonal');
    const flagged: { t: number; v: number }[] = [];
    let inFault = 0;
    let caughtInFault = 0;
    for (const { t, v } of traffic(13, 21, fault)) {
      // as the evaluator does: a firing alert keeps the value out of the baseline
      const faulty = fault(t) !== 1;
      const r = d.observe(t, v, { learn: !faulty });
      if (faulty) {
        inFault++;
        if (r.isAnomaly) caughtInFault++;
      } else if (r.isAnomaly) flagged.push({ t, v });
      if (t >= dropAt && t < dropAt + 20 * MIN && r.isAnomaly) expect(r.expected!.lower!).toBeGreaterThan(v);
    }
    expect(flagged).toEqual([]);
    expect(caughtInFault).toBe(inFault); // every evaluation during both faults, the first included
  });

  test('noise: count widens the band at quiet hours and narrows it at busy ones (variance ∝ level)', () => {
    // a count series: 100 a window from 00:00 to 12:00, 10 000 after, Poisson-like noise (sd √level)
    const noise = gaussian(seededRandom(9));
    const level = (t: number) => (((t - MONDAY) % DAY) / HOUR < 12 ? 100 : 10_000);
    const width = (kind: 'count') => {
      const d = createDetector('seasonal', { noise: kind, min_relative_scale: 0, threshold: 4, direction: 'down' });
      let quiet = NaN;
      let busy = NaN;
      for (let t = MONDAY; t < MONDAY + 10 * DAY; t += 10 * MIN) {
        const r = d.observe(t, level(t) + Math.sqrt(level(t)) * noise());
        if (t >= MONDAY + 9 * DAY && r.ready && r.expected?.lower != null) {
          const rel = (level(t) - r.expected.lower) / level(t);
          if (level(t) === 100) quiet = rel;
          else busy = rel;
        }
      }
      return { quiet, busy };
    };
    const count = width('count');
    // count noise: 4·sd is 40% of 100 and 4% of 10 000, within sampling error
    expect(count.quiet).toBeGreaterThan(0.3);
    expect(count.quiet).toBeLessThan(0.5);
    expect(count.busy).toBeGreaterThan(0.03);
    expect(count.busy).toBeLessThan(0.05);
  });

  test('learning is quiet: nothing is judged before two earlier days exist', () => {
    const d = createDetector('seasonal');
    for (const { t, v } of traffic(14, 2, (t) => (t % (3 * HOUR) < HOUR ? 0.2 : 1))) {
      expect(d.observe(t, v)).toMatchObject({ ready: false, isAnomaly: false, score: 0, expected: null });
    }
  });

  test('params: bucket must divide the day', () => {
    expect(() => createDetector('seasonal', { bucket: '7h' })).toThrow('params.bucket: bucket (7h) must divide 1d evenly');
    expect(() => createDetector('seasonal', { seasons: 2, min_seasons: 2 })).toThrow('params.min_seasons: min_seasons must be below seasons');
  });

  test('until_ready judges with robust-zscore while the rhythm is learned, and hands over once it is', () => {
    const params = { direction: 'down', until_ready: { window: 12, threshold: 5 } };
    const withFallback = createDetector('seasonal', params);
    const without = createDetector('seasonal', { direction: 'down' });
    // first morning of a new deployment: flat 1000 for 12 evaluations, then the stream loses 85%
    for (let i = 0; i < 12; i++) {
      withFallback.observe(MONDAY + i * 10 * MIN, 1000 + (i % 3) * 10);
      without.observe(MONDAY + i * 10 * MIN, 1000 + (i % 3) * 10);
    }
    const drop = withFallback.observe(MONDAY + 12 * 10 * MIN, 150);
    expect(drop).toMatchObject({ ready: true, isAnomaly: true });
    expect(drop.basis).toMatch(/until the rhythm is learned; learning: 0 of 2 earlier days/);
    expect(without.observe(MONDAY + 12 * 10 * MIN, 150)).toMatchObject({ ready: false, isAnomaly: false });
    // two weeks later the seasonal baseline judges by itself
    const d = createDetector('seasonal', params);
    let last;
    for (const { t, v } of traffic(5, 15)) last = d.observe(t, v);
    expect(last!.basis).toMatch(/^daily profile/);
  });
});
