import {
  backtestCsv,
  DEFAULT_BACKTEST_DETECTOR,
  formatBacktestCsv,
  parseParamArgs,
  parseSeriesCsv,
  runBacktest,
  type SeriesRow,
} from '../../src/backtest/backtest';
import { builtinDetectors, createDetector, DEFAULT_DETECTOR, DetectorParamsError } from '../../src/detectors';
import { UsageError } from '../../src/errors';
import { gaussian, seededRandom } from '../detectors/seeded-random';

const T0 = Date.UTC(2024, 0, 1);
const STEP = 300_000;

/** noisySeries: 5-minute points, level 1000, N(0, 30) noise, optional spikes by index. */
function noisySeries(n: number, seed: number, spikes: Record<number, number> = {}): SeriesRow[] {
  const noise = gaussian(seededRandom(seed));
  return Array.from({ length: n }, (_, i) => {
    const value = Math.round((1000 + 30 * noise() + (spikes[i] ?? 0)) * 100) / 100;
    return { line: i + 2, timestamp: new Date(T0 + i * STEP).toISOString(), t: T0 + i * STEP, valueText: String(value), value };
  });
}

describe('parseParamArgs', () => {
  test('coerces numbers and booleans, keeps other strings', () => {
    expect(parseParamArgs(['threshold=3', 'direction=down', 'min_abs_scale=1e-6', 'flag=true', 'period=1d', 'x=-0.5'])).toEqual({
      threshold: 3,
      direction: 'down',
      min_abs_scale: 1e-6,
      flag: true,
      period: '1d',
      x: -0.5,
    });
    expect(parseParamArgs([])).toEqual({});
  });

  test.each([['threshold'], ['=3']])('%p without key=value is a UsageError', (arg) => {
    expect(() => parseParamArgs([arg])).toThrow(UsageError);
    expect(() => parseParamArgs([arg])).toThrow('expected key=value');
  });

  test('a repeated key is a UsageError', () => {
    expect(() => parseParamArgs(['window=5', 'window=6'])).toThrow('--param window given twice');
  });
});

describe('runBacktest', () => {
  test('the default detector is robust-zscore; it flags the spike and no normal point', () => {
    expect(DEFAULT_BACKTEST_DETECTOR).toBe(DEFAULT_DETECTOR); // read from the detectors' registry module, not hard-coded
    const rows = runBacktest(noisySeries(200, 1, { 120: 600 }), createDetector(DEFAULT_BACKTEST_DETECTOR));
    expect(rows.filter((r) => r.is_anomaly).map((r) => r.line - 2)).toEqual([120]);
    for (const r of rows) {
      expect(r.anomaly_score).toBeGreaterThanOrEqual(0);
      expect(r.anomaly_score).toBeLessThanOrEqual(1);
      expect(Math.round(r.anomaly_score * 1e6) / 1e6).toBe(r.anomaly_score);
    }
    expect(rows.slice(0, 12).every((r) => r.anomaly_score === 0 && !r.is_anomaly)).toBe(true); // warm-up
  });

  test.each(builtinDetectors().kinds())('%s is causal: changing rows after i never changes rows ≤ i', (kind) => {
    const params = kind === 'threshold' ? { min: 950, max: 1050 } : kind === 'seasonal-zscore' ? { period: '1h', bucket: '15m' } : {};
    const base = noisySeries(120, 5, { 80: 500 });
    const changed = base.map((r, i) => (i > 60 ? { ...r, value: r.value * 3 - 700, valueText: 'x' } : r));
    for (const learn of ['all', 'while-normal'] as const) {
      const a = runBacktest(base, createDetector(kind, params), { learn });
      const b = runBacktest(changed, createDetector(kind, params), { learn });
      expect(b.slice(0, 61)).toEqual(a.slice(0, 61));
      expect(b.slice(61)).not.toEqual(a.slice(61));
    }
  });

  test("learn 'while-normal' keeps an incident out of the baseline, as the daemon does", () => {
    const rows = noisySeries(100, 3);
    for (let i = 60; i < 100; i++) Object.assign(rows[i], { value: 500, valueText: '500' });
    const all = runBacktest(rows, createDetector('robust-zscore'));
    const hygienic = runBacktest(rows, createDetector('robust-zscore'), { learn: 'while-normal' });
    expect(all[99].is_anomaly).toBe(false); // learned: 500 became normal
    // while-normal learns only row 60 (the previous row was normal), so the incident stays flagged
    expect(hygienic.slice(60).every((r) => r.is_anomaly)).toBe(true);
  });
});

describe('anomaly_score', () => {
  /** 24 values alternating 98 and 102, then one value `d` above 100 */
  const withLast = (d: number): SeriesRow[] =>
    [...Array.from({ length: 24 }, (_, i) => (i % 2 ? 102 : 98)), 100 + d].map((value, i) => ({
      line: i + 2,
      timestamp: new Date(T0 + i * STEP).toISOString(),
      t: T0 + i * STEP,
      valueText: String(value),
      value,
    }));
  const lastScore = (kind: string, d: number) => runBacktest(withLast(d), createDetector(kind)).at(-1)!.anomaly_score;

  test('robust-zscore: z^4/(z^4+4^4) with z = d/5 (median 100, MAD 2 → scale floor 0.05·100 = 5)', () => {
    expect(lastScore('robust-zscore', 0)).toBe(0);
    expect(lastScore('robust-zscore', 10)).toBe(0.058824); // z = 2: 16/272
    expect(lastScore('robust-zscore', 20)).toBe(0.5); // z = 4, the threshold
    expect(lastScore('robust-zscore', 40)).toBe(0.941176); // z = 8: 4096/4352
  });

  test('the default detector: in [0, 1] and growing with the deviation', () => {
    const scores = [0, 5, 10, 20, 40, 80, 1000].map((d) => lastScore(DEFAULT_BACKTEST_DETECTOR, d));
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThanOrEqual(scores[i - 1]);
    expect(scores.at(-1)!).toBeGreaterThan(scores[0]);
  });
});

describe('formatBacktestCsv', () => {
  test('writes timestamp,value,anomaly_score,is_anomaly echoing the input texts', () => {
    const input = ['timestamp,value', '2024-01-01T00:00:00Z,1.50', '1704067260,2', '1704067320,99'].join('\n');
    const rows = runBacktest(parseSeriesCsv(input, 's.csv'), createDetector('threshold', { max: 10 }));
    // 99: 89 beyond max 10 → d = 8.9 → 1 − 0.5^89 rounds to 1
    expect(formatBacktestCsv(rows)).toBe(
      'timestamp,value,anomaly_score,is_anomaly\n2024-01-01T00:00:00Z,1.50,0,false\n1704067260,2,0,false\n1704067320,99,1,true\n',
    );
  });
});

describe('backtestCsv', () => {
  test('parses, creates the detector from --param values and formats', () => {
    const text = 'timestamp,value\n1704067200,100\n1704067260,160\n1704067320,150\n';
    const { csv } = backtestCsv({ text, fileName: 's.csv', detector: 'rate-of-change', paramArgs: ['max_change=0.5'] });
    // 160 vs 100: c = 0.6 → 0.1296/0.1921 = 0.674649 (6 decimals); 150 vs 160: c = 0.0625 → 0.000244
    expect(csv).toBe(
      'timestamp,value,anomaly_score,is_anomaly\n1704067200,100,0,false\n1704067260,160,0.674649,true\n1704067320,150,0.000244,false\n',
    );
  });

  test('a param typo is reported with its path', () => {
    const run = () => backtestCsv({ text: '1704067200,1\n', fileName: 's.csv', paramArgs: ['threshhold=3'] });
    expect(run).toThrow(DetectorParamsError);
    expect(run).toThrow('params.threshhold: unknown parameter (did you mean "threshold"?)');
  });
});
