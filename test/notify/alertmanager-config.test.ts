import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { alertmanagerConfig, inhibitRules } from '../../src/notify/alertmanager-config';
import { ROOT, runCli } from '../helpers/cli';

const COMMITTED = join(ROOT, 'dashboards', 'alertmanager', 'alertmanager.yml');

describe('inhibitRules', () => {
  test('an upstream alert holds back the checks that name it in depends_on', () => {
    expect(inhibitRules([{ name: 'impressions-volume', depends_on: [] }, { name: 'engagement-rate', depends_on: ['impressions-volume'] }])).toEqual([
      { source_matchers: ['alertname="impressions-volume"'], target_matchers: ['alertname="engagement-rate"'], equal: [] },
    ]);
  });

  test('follows dependencies transitively, ignores unknown and self references, and is sorted', () => {
    const rules = inhibitRules([
      { name: 'coverage', depends_on: ['engagement-rate', 'no-such-check', 'coverage'] },
      { name: 'engagement-rate', depends_on: ['impressions-volume'] },
      { name: 'impressions-volume', depends_on: [] },
    ]);
    expect(rules.map((r) => `${r.source_matchers[0]} -> ${r.target_matchers[0]}`)).toEqual([
      'alertname="engagement-rate" -> alertname="coverage"',
      'alertname="impressions-volume" -> alertname="coverage"',
      'alertname="impressions-volume" -> alertname="engagement-rate"',
    ]);
  });

  test('equal holds the labels both checks split by, so one surface holds back only that surface', () => {
    const [rule] = inhibitRules([
      { name: 'impressions-volume', depends_on: [], by: ['surface'] },
      { name: 'engagement-by-surface', depends_on: ['impressions-volume'], by: ['surface', 'model_version'] },
    ]);
    expect(rule.equal).toEqual(['surface']);
  });

  test('resolve_timeout outlasts the longest repeat_interval (recsysops re-sends a firing alert only then)', () => {
    const doc = parse(alertmanagerConfig([{ name: 'a', depends_on: [], repeat_interval: 6 * 3_600_000 }]));
    expect(doc.global.resolve_timeout).toBe('7h');
  });
});

describe('recsysops alertmanager-config', () => {
  test('prints the committed dashboards/alertmanager/alertmanager.yml for the shipped checks (so it cannot drift)', async () => {
    const r = await runCli(['alertmanager-config', '--checks', 'checks']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(COMMITTED, 'utf8'));
    const doc = parse(r.stdout);
    expect(doc.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="impressions-volume"'],
      target_matchers: ['alertname="engagement-rate"'],
      equal: [],
    });
  });

  test('the committed file is a valid Alertmanager configuration (amtool check-config)', () => {
    const r = spawnSync('amtool', ['check-config', COMMITTED], { encoding: 'utf8' });
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  test('an invalid checks directory is reported with exit 1', async () => {
    const r = await runCli(['alertmanager-config', '--checks', 'no-such-dir']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no-such-dir');
    expect(r.stdout).toBe('');
  });
});
