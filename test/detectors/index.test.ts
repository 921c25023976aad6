import { builtinDetectors, createDetector, DetectorParamsError } from '../../src/detectors';
import { RecsysopsError, UnknownKindError } from '../../src/errors';
import { gaussian, seededRandom } from './seeded-random';

const T0 = Date.UTC(2024, 0, 1);

/** Minimal valid params per kind (threshold needs a bound); the rest parse from {}. */
const MINIMAL: Record<string, Record<string, unknown>> = { threshold: { min: 900, max: 1100 } };

describe('builtinDetectors', () => {
  test('lists every built-in kind explicitly', () => {
    expect(builtinDetectors().kinds()).toEqual(['cusum', 'rate-of-change', 'robust-zscore', 'seasonal', 'seasonal-zscore', 'threshold']);
  });

  test('returns a fresh registry each call (no shared singleton)', () => {
    expect(builtinDetectors()).not.toBe(builtinDetectors());
  });

  test('parsing fills the documented defaults', () => {
    const r = builtinDetectors();
    expect(r.get('robust-zscore').params.parse({})).toEqual({
      window: 24,
      threshold: 4,
      min_relative_scale: 0.05,
      min_abs_scale: 1e-9,
      direction: 'both',
    });
    expect(r.get('rate-of-change').params.parse({})).toEqual({ max_change: 0.5, lookback: 1, min_abs_base: 1e-9, direction: 'both' });
    expect(r.get('seasonal-zscore').params.parse({})).toEqual({
      period: 86_400_000,
      bucket: 3_600_000,
      seasons: 7,
      min_seasons: 2,
      threshold: 4,
      min_relative_scale: 0.05,
      min_abs_scale: 1e-9,
      direction: 'both',
    });
    expect(r.get('threshold').params.parse({ min: 1 })).toEqual({ min: 1, direction: 'both' });
    expect(r.get('cusum').params.parse({})).toEqual({
      window: 48,
      min_history: 12,
      k: 0.5,
      h: 5,
      min_relative_scale: 0.02,
      min_abs_scale: 1e-9,
      direction: 'both',
    });
    expect(r.get('seasonal').params.parse({})).toEqual({
      bucket: 3_600_000,
      seasons: 14,
      min_seasons: 2,
      weekday_min_buckets: 3,
      residual_window: 96,
      min_residuals: 12,
      threshold: 4,
      noise: 'relative',
      min_relative_scale: 0.05,
      min_abs_scale: 1e-9,
      direction: 'both',
    });
  });
});

describe('createDetector', () => {
  test('an unknown kind lists the available ones', () => {
    expect(() => createDetector('zscore', {})).toThrow(UnknownKindError);
    expect(() => createDetector('zscore', {})).toThrow(
      'unknown detector "zscore"; available: cusum, rate-of-change, robust-zscore, seasonal, seasonal-zscore, threshold',
    );
  });

  test('a typo is rejected with its path and a suggestion', () => {
    let err: unknown;
    try {
      createDetector('robust-zscore', { threshhold: 3 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DetectorParamsError);
    expect(err).toBeInstanceOf(RecsysopsError);
    expect((err as RecsysopsError).code).toBe('RSO_ERR_DETECTOR_PARAMS');
    expect((err as Error).message).toBe(
      'invalid params for detector "robust-zscore":\n  params.threshhold: unknown parameter (did you mean "threshold"?)',
    );
  });

  test('lists every problem, each as params.<path>: <message>', () => {
    try {
      createDetector('robust-zscore', { window: 2.5, threshold: -1, direction: 'sideways', colour: 'red' });
      throw new Error('expected a throw');
    } catch (e) {
      const paths = (e as DetectorParamsError).problems.map((p) => p.path).sort();
      expect(paths).toEqual(['params.colour', 'params.direction', 'params.threshold', 'params.window']);
      expect((e as Error).message).toMatch(/params\.colour: unknown parameter \(known: window, min_history, /);
    }
  });

  test('min_history above window is reported at params.min_history', () => {
    expect(() => createDetector('robust-zscore', { window: 10, min_history: 11 })).toThrow(
      'params.min_history: min_history must not exceed window',
    );
  });

  test('null params mean the defaults', () => {
    expect(() => createDetector('robust-zscore', null)).not.toThrow();
  });
});

describe('every built-in detector', () => {
  test.each(builtinDetectors().kinds())('%s: score in [0,1], alerts only when ready, band sides follow direction', (kind) => {
    const violations: string[] = [];
    for (const direction of ['both', 'up', 'down'] as const) {
      const d = createDetector(kind, { ...(MINIMAL[kind] ?? {}), direction });
      const noise = gaussian(seededRandom(99));
      for (let i = 0; i < 3 * 288; i++) {
        const spike = i % 97 === 50 ? (i % 2 ? 500 : -500) : 0;
        const r = d.observe(T0 + i * 300_000, 1000 + 30 * noise() + spike);
        const at = `${direction} #${i}`;
        if (!(r.score >= 0 && r.score <= 1)) violations.push(`${at}: score ${r.score}`);
        if (r.isAnomaly && !r.ready) violations.push(`${at}: anomaly while not ready`);
        if (!r.ready && r.expected !== null) violations.push(`${at}: band while not ready`);
        if (r.expected && (r.expected.lower === null) !== (direction === 'up')) violations.push(`${at}: lower side`);
        if (r.expected && (r.expected.upper === null) !== (direction === 'down')) violations.push(`${at}: upper side`);
        if (r.basis === '') violations.push(`${at}: empty basis`);
      }
    }
    expect(violations).toEqual([]);
  });
});
