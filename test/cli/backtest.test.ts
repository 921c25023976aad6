import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from '../helpers/cli';
import { runMany } from './run-many';
import { mulberry32 } from '../../src/util/prng';
import { builtinDetectors, DEFAULT_DETECTOR } from '../../src/detectors';
import { ROOT } from '../helpers/cli';

/**
 * `recsysops backtest` as an ML engineer uses it before a check pages anyone: a CSV in, the same rows
 * out with a causal anomaly score, and usage mistakes named precisely.
 */

const dir = mkdtempSync(join(tmpdir(), 'rso-backtest-'));
const ROWS = 300;
const DROP_AT = 250; // 1-based data row where the level drops
const T0 = Date.parse('2026-03-01T00:00:00Z');

const rand = mulberry32(20260301);
const data: Array<[string, string]> = [];
for (let i = 1; i <= ROWS; i++) {
  const level = i < DROP_AT ? 1000 : 400; // a 60% drop from row 250 on
  const noise = (rand() + rand() + rand() - 1.5) * 40; // roughly normal, sd ≈ 20
  data.push([new Date(T0 + (i - 1) * 60_000).toISOString(), (level + noise).toFixed(2)]);
}
const csv = (rows: Array<[string, string]>) => `timestamp,value\n${rows.map((r) => r.join(',')).join('\n')}\n`;
const series = join(dir, 'series.csv');
const truncated = join(dir, 'truncated.csv');
const outFile = join(dir, 'scored.csv');
const bad = join(dir, 'bad.csv');
writeFileSync(series, csv(data));
writeFileSync(truncated, csv(data.slice(0, 260)));
writeFileSync(bad, `timestamp,value\n${data[0].join(',')}\n${data[1].join(',')}\n${data[2][0]},n/a\n`);

const badCheck = join(dir, 'bad-check.yaml');
writeFileSync(badCheck, 'kind: volume\nevent_type: impression\ndetector:\n  kind: robust-zscore\n  params:\n    threshold: -1\n');
const volumeCheck = join(ROOT, 'checks', 'impressions-volume.yaml');

type Key = 'full' | 'truncated' | 'toFile' | 'threshold' | 'nope' | 'typo' | 'badValue' | 'missing' | 'fromCheck' | 'checkOverride' | 'badCheck' | 'both';
let r: Record<Key, CliResult>;
beforeAll(async () => {
  r = await runMany<Key>({
    full: ['backtest', series],
    truncated: ['backtest', truncated],
    toFile: ['backtest', series, '-o', outFile],
    // the shape of the example in `backtest --help`: repeatable --param before the file
    threshold: ['backtest', '--detector', 'threshold', '--param', 'min=700', '--param', 'direction=down', series],
    nope: ['backtest', '--detector', 'nope', series],
    typo: ['backtest', '--param', 'threshhold=3', series],
    badValue: ['backtest', bad],
    missing: ['backtest', join(dir, 'no-such.csv')],
    fromCheck: ['backtest', '--check', volumeCheck, series],
    checkOverride: ['backtest', '--check', volumeCheck, '--param', 'threshold=3', series],
    badCheck: ['backtest', '--check', badCheck, series],
    both: ['backtest', '--check', volumeCheck, '--detector', 'threshold', series],
  });
}, 60_000);

interface Row {
  timestamp: string;
  value: string;
  score: number;
  anomaly: boolean;
}
function parseOutput(text: string): { header: string; rows: Row[] } {
  const [header, ...lines] = text.trimEnd().split('\n');
  return {
    header,
    rows: lines.map((l) => {
      const [timestamp, value, score, anomaly] = l.split(',');
      expect(['true', 'false']).toContain(anomaly);
      return { timestamp, value, score: Number(score), anomaly: anomaly === 'true' };
    }),
  };
}

describe('backtest over a generated series with a drop at row 250', () => {
  test('one output row per input row, in order, timestamp and value echoed as written', () => {
    expect(r.full.code).toBe(0);
    const { header, rows } = parseOutput(r.full.stdout);
    expect(header).toBe('timestamp,value,anomaly_score,is_anomaly');
    expect(rows).toHaveLength(ROWS);
    rows.forEach((row, i) => {
      expect(row.timestamp).toBe(data[i][0]);
      expect(row.value).toBe(data[i][1]);
    });
  });

  test('scores are in [0, 1]; the drop is flagged, the calm stretch after warm-up is not', () => {
    const { rows } = parseOutput(r.full.stdout);
    for (const row of rows) {
      expect(Number.isFinite(row.score)).toBe(true);
      expect(row.score).toBeGreaterThanOrEqual(0);
      expect(row.score).toBeLessThanOrEqual(1);
      // 0.5 is the threshold: the flag and the score agree
      expect(row.anomaly).toBe(row.score >= 0.5);
    }
    // robust-zscore warms up over its first `window` (24) rows; none of rows 25..200 is anomalous
    const calm = rows.slice(24, 200).filter((row) => row.anomaly);
    expect(calm).toEqual([]);
    // the drop is flagged at once (row 250), and nothing before it
    expect(rows[DROP_AT - 1].anomaly).toBe(true);
    expect(rows.slice(0, DROP_AT - 1).some((row) => row.anomaly)).toBe(false);
    expect(rows[DROP_AT - 1].score).toBeGreaterThan(0.9);
  });

  test('causal: cutting the input after row 260 leaves rows 1..260 of the output unchanged', () => {
    expect(r.truncated.code).toBe(0);
    const full = r.full.stdout.split('\n');
    const cut = r.truncated.stdout.trimEnd().split('\n');
    expect(cut).toHaveLength(1 + 260);
    expect(cut).toEqual(full.slice(0, 1 + 260));
  });

  test('-o writes the same CSV to the file and a one-line summary to stderr', () => {
    expect(r.toFile.code).toBe(0);
    expect(r.toFile.stdout).toBe('');
    expect(readFileSync(outFile, 'utf8')).toBe(r.full.stdout);
    const anomalies = parseOutput(r.full.stdout).rows.filter((row) => row.anomaly).length;
    expect(r.toFile.stderr.split('\n')[1]).toBe(`${ROWS} rows scored, ${anomalies} anomalous; wrote ${outFile}`);
  });

  test('stderr names the default detector (DEFAULT_DETECTOR) with every parameter after defaults', () => {
    const defaults = builtinDetectors().get(DEFAULT_DETECTOR).params.parse({});
    expect(r.full.stderr).toBe(`detector ${DEFAULT_DETECTOR} ${JSON.stringify(defaults)} (default: the detector of checks without a detector:)\n`);
    if (DEFAULT_DETECTOR === 'robust-zscore') expect(defaults).toEqual({ window: 24, threshold: 4, min_relative_scale: 0.05, min_abs_scale: 1e-9, direction: 'both' });
  });

  test('--detector threshold with repeated --param flags every row below min from row 250 on', () => {
    expect(r.threshold.code).toBe(0);
    const { rows } = parseOutput(r.threshold.stdout);
    expect(rows.map((row) => row.anomaly)).toEqual(data.map((_, i) => i + 1 >= DROP_AT));
  });
});

describe('--check FILE: the detector and params of a check', () => {
  test('impressions-volume: seasonal, judged by robust-zscore over 12 values (threshold 5) until the rhythm is learned, drops only — the drop is flagged', () => {
    expect(r.fromCheck.code).toBe(0);
    expect(r.fromCheck.stderr).toBe(
      `detector seasonal {"bucket":3600000,"seasons":14,"min_seasons":2,"weekday_min_buckets":3,"residual_window":96,"min_residuals":12,"threshold":3.5,"noise":"count","min_relative_scale":0.05,"min_abs_scale":1e-9,"direction":"down","until_ready":{"window":12,"threshold":5,"min_relative_scale":0.05,"min_abs_scale":1e-9}} (from check impressions-volume in ${volumeCheck})\n`,
    );
    const { rows } = parseOutput(r.fromCheck.stdout);
    expect(rows[DROP_AT - 1].anomaly).toBe(true);
    expect(rows.slice(12, DROP_AT - 1).some((row) => row.anomaly)).toBe(false);
  });

  test('--param overrides one parameter of the check', () => {
    expect(r.checkOverride.code).toBe(0);
    expect(r.checkOverride.stderr).toContain('"threshold":3,');
    expect(r.checkOverride.stderr).toContain('"direction":"down"');
  });

  test('an invalid check file exits 1 naming file and path; --check with --detector is a usage error', () => {
    expect(r.badCheck.code).toBe(1);
    expect(r.badCheck.stdout).toBe('');
    expect(r.badCheck.stderr).toContain(`${badCheck}: detector.params.threshold`);
    expect(r.both.code).toBe(2);
    expect(r.both.stderr).toBe('recsysops: give either --check (the detector of a check file) or --detector, not both\n');
  });
});

describe('mistakes', () => {
  test('an unknown detector is a usage error (2) listing the available ones', () => {
    expect(r.nope.code).toBe(2);
    expect(r.nope.stdout).toBe('');
    expect(r.nope.stderr).toMatch(/^recsysops: unknown detector "nope"; available: /);
    for (const d of ['robust-zscore', 'threshold', 'rate-of-change', 'seasonal-zscore']) expect(r.nope.stderr).toContain(d);
  });

  test('a misspelt --param is a usage error (2) naming it and the right one', () => {
    expect(r.typo.code).toBe(2);
    expect(r.typo.stdout).toBe('');
    expect(r.typo.stderr).toContain('threshhold');
    expect(r.typo.stderr).toContain('did you mean "threshold"?');
    expect(r.typo.stderr).not.toContain('missing required argument'); // --param does not swallow the file
  });

  test('a CSV with a bad value exits 1 naming file:line and the value', () => {
    expect(r.badValue.code).toBe(1);
    expect(r.badValue.stdout).toBe('');
    expect(r.badValue.stderr).toBe(`recsysops: ${bad}:4: value "n/a" is not a number [RSO_ERR_SERIES_INVALID]\n`);
  });

  test('a missing file exits 1 naming it', () => {
    expect(r.missing.code).toBe(1);
    expect(r.missing.stderr).toContain(`cannot read ${join(dir, 'no-such.csv')}`);
    expect(r.missing.stderr).not.toMatch(/\n\s+at /);
  });
});
