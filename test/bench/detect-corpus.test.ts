import { buildCorpus, corpusSchema } from '../../src/bench/detect/corpus';
import { FAULT_KINDS } from '../../src/demo/faults';

const H = 3_600_000;
const WEEK = 7 * 24 * H;

describe('the default corpus', () => {
  const corpus = buildCorpus(corpusSchema.parse({}));

  test('2 warm-up + 2 fault-free + 3 fault weeks from Monday 2026-01-05', () => {
    expect(new Date(corpus.startTime).toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(corpus.clean).toEqual({ from: corpus.startTime + 2 * WEEK, to: corpus.startTime + 4 * WEEK });
    expect(corpus.faulted).toEqual({ from: corpus.startTime + 4 * WEEK, to: corpus.startTime + 7 * WEEK });
    expect(corpus.endTime).toBe(corpus.startTime + 7 * WEEK);
  });

  test('every fault kind 6 times; the sized kinds twice at each of 1, 0.5 and 0.25', () => {
    for (const kind of FAULT_KINDS) expect(corpus.faults.filter((f) => f.kind === kind)).toHaveLength(6);
    for (const kind of ['volume-drop', 'feature-bug', 'bad-model', 'latency-spike', 'stale-cache'] as const) {
      const sizes = corpus.faults.filter((f) => f.kind === kind).map((f) => f.size).sort();
      expect(sizes).toEqual([0.25, 0.25, 0.5, 0.5, 1, 1]);
    }
  });

  test('faults lie in the fault weeks, in order, 3 quiet hours apart, at varied hours of the day', () => {
    const fs = corpus.faults;
    expect(fs[0].startsAt).toBeGreaterThanOrEqual(corpus.faulted.from);
    expect(fs[fs.length - 1].endsAt).toBeLessThanOrEqual(corpus.faulted.to);
    for (let i = 1; i < fs.length; i++) expect(fs[i].startsAt - fs[i - 1].endsAt).toBeGreaterThanOrEqual(3 * H);
    const hours = new Set(fs.map((f) => new Date(f.startsAt).getUTCHours()));
    expect(hours.size).toBeGreaterThanOrEqual(12);
  });

  test('the same config gives the same corpus, and the schedule mirrors the labels', () => {
    expect(buildCorpus(corpusSchema.parse({}))).toEqual(corpus);
    const f = corpus.faults[3];
    const spec = corpus.schedule.faults[3];
    expect(spec.kind).toBe(f.kind);
    expect(corpus.startTime + spec.atMs).toBe(f.startsAt);
    expect(spec.size ?? 1).toBe(f.size);
  });

  test('too many faults for the fault weeks is refused', () => {
    expect(() => buildCorpus(corpusSchema.parse({ fault_weeks: 1, repeats: 3 }))).toThrow(/do not fit/);
  });
});
