import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCheckKinds } from '../../src/check-kinds';
import { builtinDetectors } from '../../src/detectors';
import { loadChecks } from '../../src/config/load-checks';

const load = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'rso-output-checks-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return loadChecks(dir, builtinCheckKinds(), builtinDetectors());
};

describe('model-output checks from YAML', () => {
  test('defaults are filled from a two-line file', () => {
    const { checks, problems } = load({
      'rank.yaml': 'kind: engaged-rank\n',
      'cov.yaml': 'kind: catalog-coverage\n',
      'gini.yaml': 'kind: popularity-concentration\n',
      'slates.yaml': 'kind: slate-size\n',
      'mix.yaml': 'kind: model-version-mix\n',
    });
    expect(problems).toEqual([]);
    const def = (name: string) => checks.find((c) => c.def.name === name)!.def as unknown as Record<string, unknown>;
    expect(def('rank')).toMatchObject({ statistic: 'mean', k: 5, join: 'request', join_window: 1_800_000, min_engagements: 50 });
    expect(def('cov')).toMatchObject({ sample_size: 1000, min_impressions: 1000, max_items: 100_000 });
    expect(def('gini')).toMatchObject({ sample_size: 0, min_impressions: 200 });
    expect(def('slates')).toMatchObject({ source: 'serving', min_size: 1 });
    expect(def('mix')).toMatchObject({ event_type: 'impression', establish_after: 8, retire_after: 8 });
  });

  test('a mistyped join or statistic names the file, the field with its line, and what was expected', () => {
    const { problems } = load({
      'er.yaml': 'kind: engagement-rate\nby: [surface]\njoin: user-item\n',
      'rank.yaml': 'kind: engaged-rank\nstatistic: median\n',
    });
    const text = problems.map((p) => `${p.file.split('/').pop()}: ${p.path}: ${p.message}`);
    expect(text).toEqual(
      expect.arrayContaining([expect.stringMatching(/^er\.yaml: join \(line 3\): .*request.*user_item/), expect.stringMatching(/^rank\.yaml: statistic \(line 2\): .*mean.*quantile.*share_beyond/)]),
    );
  });
});
