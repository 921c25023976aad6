import { formatDuration, parseDuration } from '../../src/detectors/duration';
import { RecsysopsError } from '../../src/errors';

describe('parseDuration', () => {
  test.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1.5h', 5_400_000],
    [' 2d ', 172_800_000],
    ['300000', 300_000],
    [300000, 300_000],
  ])('%p → %p ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  test.each(['5x', '', 'm5', '1 h', '-5m', 'daily'])('rejects %p with a clear coded error', (input) => {
    expect(() => parseDuration(input)).toThrow(`invalid duration "${input}"`);
    try {
      parseDuration(input);
    } catch (err) {
      expect(err).toBeInstanceOf(RecsysopsError);
      expect((err as RecsysopsError).code).toBe('RSO_ERR_DURATION_INVALID');
      expect((err as Error).message).toContain('e.g. 5m, 1h30m, 1d');
    }
  });

  test('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-1)).toThrow('invalid duration "-1"');
    expect(() => parseDuration(Infinity)).toThrow('invalid duration');
  });
});

describe('formatDuration', () => {
  test.each([
    [300_000, '5m'],
    [86_400_000, '1d'],
    [604_800_000, '1w'],
    [5_400_000, '1h30m'],
    [1_500, '1s500ms'],
    [691_200_000, '1w1d'],
    [250, '250ms'],
    [0, '0s'],
  ])('%p → %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
