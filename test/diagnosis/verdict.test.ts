import { verdictOf } from '../../src/diagnosis/verdict';

const cells = (fc: boolean, fg: boolean, rc: boolean) => ({ failing_current: fc, failing_good: fg, reference_current: rc, reference_good: false });

describe('verdictOf: the 2×2 swap decision table', () => {
  test.each([
    ['failing inputs bad under both models, reference fine under the current one', cells(true, true, false), 'data'],
    ['reference inputs bad under the current model, failing fine under the good one', cells(true, false, true), 'model'],
    ['failing bad under the good model and reference bad under the current one', cells(true, true, true), 'both'],
    ['only failing inputs × current model are bad', cells(true, false, false), 'inconclusive'],
    ['the failing cell looks healthy in isolation', cells(false, false, false), 'not_reproducible'],
  ])('%s → %s', (_what, bad, verdict) => {
    expect(verdictOf({ reproducedShare: 1, bad })).toBe(verdict);
  });

  test('replayed scores that differ from the logged ones make any table not reproducible', () => {
    expect(verdictOf({ reproducedShare: 0.5, bad: cells(true, true, false) })).toBe('not_reproducible');
    expect(verdictOf({ reproducedShare: 0.5, minReproduced: 0.4, bad: cells(true, true, false) })).toBe('data');
  });
});
