import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesKind } from '../../../src/check-kinds/query/files';
import { globFiles } from '../../../src/check-kinds/query/glob';
import { build, problems } from './harness';

const NOW = Date.parse('2026-03-01T12:00:00Z');
let dir: string;

/** write a file of `bytes` bytes modified `ageS` seconds before NOW */
function file(rel: string, bytes: number, ageS: number): void {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x'.repeat(bytes));
  const t = (NOW - ageS * 1000) / 1000;
  utimesSync(path, t, t);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rso-files-'));
  // a feature store's daily exports, Spark style: part files, a marker, checksums
  file('exports/day=2026-02-28/part-0000.parquet', 100, 86_400 + 60);
  file('exports/day=2026-02-28/part-0001.parquet', 150, 86_400 + 30);
  file('exports/day=2026-02-28/_SUCCESS', 0, 86_400);
  file('exports/day=2026-02-28/.part-0000.parquet.crc', 12, 86_400 + 60);
  file('exports/day=2026-03-01/part-0000.parquet', 200, 7_200);
  file('exports/day=2026-03-01/nested/deep/part-0009.csv', 40, 3_600);
  file('exports/.staging/part-0000.parquet', 999, 10);
  symlinkSync(join(dir, 'exports/day=2026-03-01/part-0000.parquet'), join(dir, 'exports/latest.parquet'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rel = async (pattern: string) => (await globFiles(pattern, dir)).map((f) => f.path.slice(dir.length + 1));

describe('glob', () => {
  test('* within a directory, ** across directories, alternatives; dot files and dot directories skipped', async () => {
    expect(await rel('exports/day=*/*.parquet')).toEqual(['exports/day=2026-02-28/part-0000.parquet', 'exports/day=2026-02-28/part-0001.parquet', 'exports/day=2026-03-01/part-0000.parquet']);
    expect(await rel('exports/**/*.{parquet,csv}')).toEqual([
      'exports/day=2026-02-28/part-0000.parquet',
      'exports/day=2026-02-28/part-0001.parquet',
      'exports/day=2026-03-01/nested/deep/part-0009.csv',
      'exports/day=2026-03-01/part-0000.parquet',
      'exports/latest.parquet',
    ]);
    expect(await rel('exports/day=2026-02-28/.*.crc')).toEqual(['exports/day=2026-02-28/.part-0000.parquet.crc']);
    expect(await rel('exports/day=2026-02-28/_SUCCESS')).toEqual(['exports/day=2026-02-28/_SUCCESS']);
  });
});

describe('files', () => {
  test('count, bytes and seconds since the newest file, one series per measure', async () => {
    const q = build(filesKind, { path: join(dir, 'exports/day=*/*.parquet'), measure: ['count', 'bytes', 'newest_age'] });
    const obs = await q.check.evaluate(NOW);
    // 3 part files of 100 + 150 + 200 bytes; the newest was written 7200 s before NOW
    expect(obs.map((o) => [o.labels.measure, o.value])).toEqual([
      ['count', 3],
      ['bytes', 450],
      ['newest_age', 7200],
    ]);
    expect(obs[2].details).toMatchObject({ files: 3, newest_file: join(dir, 'exports/day=2026-03-01/part-0000.parquet'), newest_modified: '2026-03-01T10:00:00.000Z' });
  });

  test('a single measure (count by default)', async () => {
    const q = build(filesKind, { path: join(dir, 'exports/**/_SUCCESS') });
    expect(await q.check.evaluate(NOW)).toEqual([expect.objectContaining({ labels: { measure: 'count' }, value: 1 })]);
  });

  test('no file matching: count 0, no age; a missing directory: no observation and a path_not_found error', async () => {
    // no directory of that day yet: the fixed part of the pattern (exports/) exists, nothing matches the rest
    const none = build(filesKind, { path: join(dir, 'exports/day=2026-03-02*/*.parquet'), measure: ['count', 'newest_age'] });
    expect((await none.check.evaluate(NOW)).map((o) => [o.labels.measure, o.value])).toEqual([['count', 0]]);
    expect(none.log.join('\n')).toContain('no file matches the pattern');

    const missing = build(filesKind, { path: join(dir, 'no-such-dir/*.parquet') });
    expect(await missing.check.evaluate(NOW)).toEqual([]);
    expect(await missing.errors()).toEqual({ path_not_found: 1 });
    expect(missing.log.join('\n')).toContain(`the directory ${join(dir, 'no-such-dir')} does not exist`);
  });

  test('definitions: an unknown measure is named; compare_versions makes no sense here', () => {
    expect(problems(filesKind, { path: '/x/*', measure: 'size' })).toEqual(['measure: expected one of count, bytes, newest_age, or a list of them']);
    expect(problems(filesKind, { path: '/x/*', compare_versions: {} })).toEqual([expect.stringMatching(/^compare_versions: compare_versions needs model versions/)]);
  });
});
