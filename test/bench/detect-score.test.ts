import type { LabelledFault } from '../../src/bench/detect/corpus';
import { judgeTargets, recallOf, scoreChecks, type ScoredCheck } from '../../src/bench/detect/score';
import { catchesOf, loadBenchConfig, SHARP_KINDS } from '../../src/bench/detect/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const M = 60_000;
const H = 60 * M;
const WEEK = 7 * 24 * H;
const T0 = Date.UTC(2026, 0, 5);
const clean = { from: T0, to: T0 + 2 * WEEK };
const faulted = { from: T0 + 2 * WEEK, to: T0 + 3 * WEEK };
const F = faulted.from;

const faults: LabelledFault[] = [
  { id: 0, kind: 'volume-drop', size: 1, startsAt: F + 10 * H, endsAt: F + 11 * H },
  { id: 1, kind: 'volume-drop', size: 0.25, startsAt: F + 30 * H, endsAt: F + 31 * H },
  { id: 2, kind: 'latency-spike', size: 0.5, startsAt: F + 50 * H, endsAt: F + 51 * H },
];
const volume: ScoredCheck = { name: 'vol', kind: 'volume', windowMs: 10 * M, catches: ['volume-drop'] };
const any: ScoredCheck = { name: 'new', kind: 'mystery', windowMs: 5 * M, catches: 'any' };
const opts = { graceWindows: 2, clean, faulted, sharpKinds: SHARP_KINDS };

describe('scoreChecks', () => {
  test('detection needs an alert between the start and the end + 2 windows; the delay is from the start', () => {
    const alerts = [
      { check: 'vol', at: F + 10 * H + 20 * M, labels: {} }, // fault 0, 20 min = 2 windows in
      { check: 'vol', at: F + 31 * H + 21 * M, labels: {} }, // 1 min after fault 1's end + 20 min grace: missed
      { check: 'vol', at: T0 + 3 * 24 * H, labels: {} }, // fault-free week: a false alarm
      { check: 'vol', at: T0 + 9 * 24 * H, labels: {} },
      { check: 'vol', at: T0 + 10 * 24 * H, labels: {} },
      { check: 'other', at: F + 10 * H + 5 * M, labels: {} }, // another check's alert counts for nothing here
    ];
    const [s] = scoreChecks([volume], faults, alerts, opts);
    expect(s.detections.map((d) => [d.fault.id, d.delayMs])).toEqual([
      [0, 20 * M],
      [1, undefined],
    ]);
    expect(recallOf(s.detections)).toEqual({ detected: 1, total: 2, recall: 0.5 });
    expect(s.falseAlarms).toBe(3);
    expect(s.falseAlarmsPerWeek).toBe(1.5);
    // the late alert is 21 min after fault 1's end: outside every fault ± 20 min grace
    expect(s.stray).toBe(1);
    expect(s.medianDelayMin).toBe(20);
    expect(s.medianDelayWindows).toBe(2);
  });

  test('an alert already firing before the fault does not detect it; one at the very start does', () => {
    const [before] = scoreChecks([volume], faults.slice(0, 1), [{ check: 'vol', at: F + 10 * H - M, labels: {} }], opts);
    expect(before.detections[0].delayMs).toBeUndefined();
    const [at] = scoreChecks([volume], faults.slice(0, 1), [{ check: 'vol', at: F + 10 * H, labels: {} }], opts);
    expect(at.detections[0].delayMs).toBe(0);
  });

  test('a check of an unmapped kind is scored against every fault', () => {
    const [s] = scoreChecks([any], faults, [{ check: 'new', at: F + 50 * H + 7 * M, labels: {} }], opts);
    expect(s.detections.map((d) => d.delayMs)).toEqual([undefined, undefined, 7 * M]);
    expect(s.medianDelayWindows).toBeCloseTo(1.4, 10);
  });

  test('targets: moderate faults all detected, ≤ 1 false alarm a week, sharp median delay ≤ 2 windows', () => {
    const alerts = [
      { check: 'vol', at: F + 10 * H + 30 * M, labels: {} }, // 3 windows late
      { check: 'vol', at: T0 + 24 * H, labels: {} },
    ];
    const [s] = scoreChecks([volume], faults, alerts, opts);
    const t = { moderateSize: 0.5, maxFalseAlarmsPerWeek: 1, maxDelayWindows: 2 };
    // the size-0.25 miss does not count against the recall target
    expect(judgeTargets(s, t, SHARP_KINDS)).toEqual({ recall: true, falseAlarms: true, delay: false, sharpDelayWindows: 3 });
    const [cold] = scoreChecks([{ name: 'c', kind: 'cold-start', windowMs: 15 * M, catches: ['starved-item'] }], faults, [], opts);
    expect(judgeTargets(cold, t, SHARP_KINDS)).toEqual({ recall: undefined, falseAlarms: true, delay: undefined });
  });
});

describe('bench config', () => {
  test('catches: by check name, then check kind, then the built-in mapping, else any fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-config-'));
    const file = join(dir, 'bench.yaml');
    writeFileSync(file, 'catches:\n  mystery: [stall]\n  special-volume: [stall, volume-drop]\n');
    const c = loadBenchConfig(file);
    expect(catchesOf(c, { name: 'x', kind: 'mystery' })).toEqual(['stall']);
    expect(catchesOf(c, { name: 'special-volume', kind: 'volume' })).toEqual(['stall', 'volume-drop']);
    expect(catchesOf(c, { name: 'v', kind: 'volume' })).toEqual(['volume-drop']);
    expect(catchesOf(c, { name: 'y', kind: 'unheard-of' })).toBe('any');
  });

  test('a feature-quality check is scored against the feature bug only if it watches nulls or zeros', () => {
    const c = loadBenchConfig();
    expect(catchesOf(c, { name: 'nulls', kind: 'feature-quality', def: { measures: ['null_rate'] } })).toEqual(['feature-bug']);
    expect(catchesOf(c, { name: 'defaults', kind: 'feature-quality', def: {} })).toEqual(['feature-bug']);
    expect(catchesOf(c, { name: 'zeros', kind: 'feature-quality', def: { measures: ['zero_rate', 'out_of_range_rate'] } })).toEqual(['feature-bug']);
    expect(catchesOf(c, { name: 'inputs', kind: 'feature-quality', def: { measures: ['out_of_range_rate', 'type_change_rate', 'new_category_rate'] } })).toEqual([]);
    // the bench config still wins
    const dir = mkdtempSync(join(tmpdir(), 'bench-config-'));
    writeFileSync(join(dir, 'b.yaml'), 'catches:\n  inputs: [feature-bug]\n');
    expect(catchesOf(loadBenchConfig(join(dir, 'b.yaml')), { name: 'inputs', kind: 'feature-quality', def: { measures: ['type_change_rate'] } })).toEqual(['feature-bug']);
  });

  test('a bad entry names the file, the path and what was expected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-config-'));
    const file = join(dir, 'bench.yaml');
    writeFileSync(file, 'catches:\n  volume: [volume-dorp]\n');
    expect(() => loadBenchConfig(file)).toThrow(/bench\.yaml.*catches\.volume\[0\]|catches\.volume\.0/s);
  });
});
