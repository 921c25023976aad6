import { compareVersions, compareVersionsSchema } from '../../../src/check-kinds/query/compare-versions';
import { fileRows } from '../../../src/check-kinds/query/files';
import { jsonRows } from '../../../src/check-kinds/query/http-json';
import { parsePath, select } from '../../../src/check-kinds/query/json-path';
import { partRegExp } from '../../../src/check-kinds/query/glob';
import { promRows } from '../../../src/check-kinds/query/promql';
import { rowsToObservations, toValue, type QueryRow } from '../../../src/check-kinds/query/row';
import { sqlRows } from '../../../src/check-kinds/query/sql';
import { QueryError } from '../../../src/check-kinds/query/failure';

const cv = (o: Record<string, unknown> = {}) => compareVersionsSchema.parse(o);
const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof QueryError ? `${e.reason}: ${e.message}` : `not a QueryError: ${String(e)}`;
  }
  return 'no error';
};

describe('result cells to values', () => {
  test('numbers, numeric strings (PostgreSQL numeric, bigint) and null', () => {
    expect(toValue(3.5, 'x')).toBe(3.5);
    expect(toValue('1234567', 'x')).toBe(1234567);
    expect(toValue('0.125', 'x')).toBe(0.125);
    expect(toValue(null, 'x')).toBeNull();
    expect(toValue('NaN', 'x')).toBeNull();
    expect(toValue('+Inf', 'x')).toBeNull();
  });

  test('text that is not a number is an error naming where it was, never a zero', () => {
    expect(reasonOf(() => toValue('n/a', 'row 2, column value'))).toBe('bad_result: row 2, column value: expected a number, got "n/a"');
    expect(reasonOf(() => toValue('', 'row 1'))).toMatch(/^bad_result: row 1: expected a number/);
  });
});

describe('SQL rows to observations', () => {
  const rows = [
    { surface: 'home', model_version: 'v1', n: '120' },
    { surface: 'search', model_version: 'v1', n: '80' },
    { surface: 'email', model_version: 'v1', n: null },
  ];
  test('each row is a series: the value column, label columns (a list, or a mapping that renames)', () => {
    const list = sqlRows(rows, ['surface', 'model_version', 'n'], { value_column: 'n', series_labels: ['surface'] });
    expect(rowsToObservations(list)).toEqual([
      { labels: { surface: 'home' }, value: 120 },
      { labels: { surface: 'search' }, value: 80 },
    ]);
    const renamed = sqlRows([{ s: 'home', v: 2 }], ['s', 'v'], { value_column: 'v', series_labels: { surface: 's' } });
    expect(rowsToObservations(renamed)).toEqual([{ labels: { surface: 'home' }, value: 2 }]);
  });

  test('a missing column names the columns the result has', () => {
    expect(reasonOf(() => sqlRows(rows, ['surface', 'model_version', 'n'], { value_column: 'value', series_labels: [] }))).toBe(
      'path_not_found: the result has no column "value" (columns: surface, model_version, n); name it in the query, e.g. "… AS value"',
    );
  });

  test('two rows for one series are refused, both named', () => {
    const dup = sqlRows(rows, ['surface', 'model_version', 'n'], { value_column: 'n', series_labels: ['model_version'] });
    expect(reasonOf(() => rowsToObservations(dup))).toMatch(/^bad_result: row 1 and row 2 are the same series \{model_version=v1\}/);
  });
});

describe('JSON paths', () => {
  const doc = {
    data: {
      metrics: [
        { version: 'v7', ndcg_at_10: 0.41, meta: { surface: 'home' } },
        { version: 'v8', ndcg_at_10: 0.43, meta: { surface: 'home' } },
      ],
      'ndcg@10': 0.5,
    },
  };
  test('keys, [*], indexes (negative from the end) and quoted keys', () => {
    expect(select(doc, parsePath('data.metrics[*].ndcg_at_10')).matches.map((m) => m.value)).toEqual([0.41, 0.43]);
    expect(select(doc, parsePath('$.data.metrics[-1].version')).matches.map((m) => m.value)).toEqual(['v8']);
    expect(select(doc, parsePath('data["ndcg@10"]')).matches.map((m) => m.value)).toEqual([0.5]);
    expect(select(doc, parsePath('data.metrics[0]')).matches[0].at).toBe('$.data.metrics[0]');
  });

  test('a path that does not parse says where', () => {
    expect(() => parsePath('data..x')).toThrow('unexpected "." at 6 in "data..x"');
    expect(() => parsePath('data[x]')).toThrow('expected [*], [number] or ["key"] at 5');
    expect(() => parsePath('data[0')).toThrow('"[" at 5 is not closed');
  });

  test('each match is a row, labelled from fields next to it', () => {
    const rows = jsonRows(doc, { value: 'data.metrics[*].ndcg_at_10', series_labels: { model_version: 'version', surface: 'meta.surface' } });
    expect(rowsToObservations(rows)).toEqual([
      { labels: { model_version: 'v7', surface: 'home' }, value: 0.41 },
      { labels: { model_version: 'v8', surface: 'home' }, value: 0.43 },
    ]);
  });

  test('a value path that matches nothing names the first part missing', () => {
    expect(reasonOf(() => jsonRows(doc, { value: 'data.metrics[*].recall', series_labels: [] }))).toBe(
      'path_not_found: value path data.metrics[*].recall matched nothing: $.data.metrics[0].recall is not in the answer',
    );
    expect(reasonOf(() => jsonRows(doc, { value: 'data.metrics[*].ndcg_at_10', series_labels: { cohort: 'segment' } }))).toBe(
      'path_not_found: series label cohort: no field segment next to the value at $.data.metrics[0].ndcg_at_10',
    );
  });
});

describe('PromQL answers', () => {
  test('each vector element is a series; labels named like series labels are kept, the others dropped', () => {
    const { rows, notes } = promRows(
      {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { job: 'ranker', surface: 'home', instance: 'a:1' }, value: [1700000000, '12.5'] },
            { metric: { job: 'ranker', surface: 'search', instance: 'a:1' }, value: [1700000000, 'NaN'] },
          ],
        },
      },
      {},
    );
    expect(notes).toEqual([]);
    expect(rowsToObservations(rows)).toEqual([{ labels: { surface: 'home' }, value: 12.5 }]);
  });

  test('a mapping renames Prometheus labels; a scalar is one series; an empty vector is a note; a matrix is refused', () => {
    const { rows } = promRows({ data: { resultType: 'vector', result: [{ metric: { version: 'v3' }, value: [0, '1'] }] } }, { series_labels: { model_version: 'version' } });
    expect(rowsToObservations(rows)).toEqual([{ labels: { model_version: 'v3' }, value: 1 }]);
    expect(rowsToObservations(promRows({ data: { resultType: 'scalar', result: [0, '42'] } }, {}).rows)).toEqual([{ labels: {}, value: 42 }]);
    expect(promRows({ data: { resultType: 'vector', result: [] } }, {}).notes).toEqual(['the query returned no series']);
    expect(reasonOf(() => promRows({ data: { resultType: 'matrix', result: [] } }, {}))).toMatch(/^bad_result: expected an instant vector or a scalar, got matrix/);
  });
});

describe('files', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const files = [
    { path: '/x/a.parquet', size: 100, mtimeMs: now - 3_600_000 },
    { path: '/x/b.parquet', size: 250, mtimeMs: now - 600_000 },
  ];
  test('count, total bytes, and seconds since the newest file, one series per measure', () => {
    const obs = rowsToObservations(fileRows(files, ['count', 'bytes', 'newest_age'], now).rows);
    expect(obs.map((o) => [o.labels.measure, o.value])).toEqual([
      ['count', 2],
      ['bytes', 350],
      ['newest_age', 600],
    ]);
    expect(obs[2].evidence?.[0].name).toBe('file=b.parquet');
  });

  test('no file: count and bytes are 0, newest_age has no observation', () => {
    const { rows, notes } = fileRows([], ['count', 'bytes', 'newest_age'], now);
    expect(rowsToObservations(rows).map((o) => [o.labels.measure, o.value])).toEqual([
      ['count', 0],
      ['bytes', 0],
    ]);
    expect(notes).toEqual(['no file matches the pattern']);
  });

  test('glob parts: *, ?, classes, alternatives; a wildcard skips dot files', () => {
    expect(partRegExp('*.parquet').test('part-0.parquet')).toBe(true);
    expect(partRegExp('*.parquet').test('.part-0.parquet')).toBe(false);
    expect(partRegExp('.*.crc').test('.part-0.crc')).toBe(true);
    expect(partRegExp('part-?.{csv,json}').test('part-1.json')).toBe(true);
    expect(partRegExp('part-?.{csv,json}').test('part-12.json')).toBe(false);
    expect(partRegExp('day=2026-01-0[1-3]').test('day=2026-01-02')).toBe(true);
    expect(partRegExp('day=2026-01-0[!1-3]').test('day=2026-01-02')).toBe(false);
    expect(partRegExp('a+b(1).txt').test('a+b(1).txt')).toBe(true);
  });
});

describe('compare_versions', () => {
  const row = (model_version: string, value: number | null, extra: Partial<QueryRow> = {}): QueryRow => ({ ...extra, labels: { model_version, ...extra.labels }, value, origin: `row ${model_version}` });

  test('latest against latest-previous: the relative change, both versions named', () => {
    // NDCG@10 0.40 → 0.38: (0.38 − 0.40) / 0.40 = −0.05
    const { observations, notes } = compareVersions([row('v1', 0.42), row('v2', 0.4), row('v3', 0.38)], cv());
    expect(notes).toEqual([]);
    expect(observations).toHaveLength(1);
    const o = observations[0];
    expect(o.labels).toEqual({});
    expect(o.value).toBeCloseTo(-0.05, 12);
    expect(o.details).toEqual({ candidate: 'v3', baseline: 'v2', candidate_value: 0.38, baseline_value: 0.4, measure: 'relative' });
    expect(o.evidence).toEqual([
      { name: 'model_version=v3', value: 0.38, reference: 0.4, note: 'candidate against baseline v2: -5.0%' },
      { name: 'model_version=v2', value: 0.4, note: 'baseline' },
    ]);
    expect(o.summary).toBe('model_version v3 at 0.38 against 0.4 for baseline v2 (-5.0%)');
  });

  test('a fixed baseline, the difference, per group of the other labels', () => {
    const rows = [
      row('v1', 0.3, { labels: { surface: 'home' } }),
      row('v2', 0.33, { labels: { surface: 'home' } }),
      row('v1', 0.5, { labels: { surface: 'search' } }),
      row('v2', 0.45, { labels: { surface: 'search' } }),
    ];
    const { observations } = compareVersions(rows, cv({ baseline: 'v1', measure: 'difference' }));
    expect(observations.map((o) => [o.labels, Number(o.value.toFixed(10))])).toEqual([
      [{ surface: 'home' }, 0.03],
      [{ surface: 'search' }, -0.05],
    ]);
  });

  test('order_by orders versions (oldest first) whatever the row order', () => {
    // v10 was trained after v9: ordered by trained_at, v10 is the candidate and v9 its baseline; (0.5 − 0.4) / 0.4 = 0.25
    const rows = [row('v10', 0.5, { order: 20 }), row('v8', 0.2, { order: 5 }), row('v9', 0.4, { order: 10 })];
    const o = compareVersions(rows, cv({ order_by: 'trained_at' })).observations[0];
    expect(o.details).toMatchObject({ candidate: 'v10', baseline: 'v9' });
    expect(o.value).toBeCloseTo(0.25, 12);
  });

  test('nothing to compare is a note, not an observation', () => {
    expect(compareVersions([row('v1', 0.4)], cv())).toEqual({ observations: [], notes: ['only one version (v1): nothing to compare yet'] });
    expect(compareVersions([row('v1', 0.4), row('v2', 0.5)], cv({ baseline: 'v0' })).notes).toEqual(['baseline version v0 is not in the result (versions: v1, v2)']);
    expect(compareVersions([row('v1', 0), row('v2', 0.5)], cv()).notes).toEqual(['baseline v1 is 0: a relative change is undefined (use measure: difference)']);
    expect(compareVersions([row('v1', 0.4), row('v2', null)], cv()).notes).toEqual(['v2 has no value']);
  });

  test('a row without a model_version is an error saying what to map', () => {
    expect(reasonOf(() => compareVersions([{ labels: {}, value: 1, origin: 'row 1' }], cv()))).toMatch(/^bad_result: row 1 has no model_version/);
  });
});
