import type { AlertRecord } from '../../src/alerting/alert';
import { toAmAlert } from '../../src/notify/integrations/alertmanager';
import { formatConsoleLine } from '../../src/notify/integrations/console';
import { renderEmail } from '../../src/notify/integrations/email-render';
import { alert } from './helpers';

/**
 * Every receiver shows how an alert was computed and where to look: the detector's basis and
 * params, the baseline hygiene, the top contributors (value against reference) and the exact
 * diagnose command.
 */

const explained = (over: Partial<AlertRecord> = {}): AlertRecord =>
  alert({
    explanation: {
      detector: { kind: 'robust-zscore', params: { window: 12, threshold: 5, direction: 'down' } },
      basis: 'median − 5·1.4826·MAD of the last 12 values (median 1155, MAD 100)',
      baseline_excludes: { since: '2024-05-01T10:10:00.000Z', values: 2 },
      hygiene: 'While this alert is pending or firing, the series is judged but not learned.',
      text: 'Observed 120, expected ≥ 413.7. Band: median − 5·1.4826·MAD of the last 12 values (median 1155, MAD 100) (detector robust-zscore {"window":12}).',
    },
    evidence: [
      { name: 'feature=user_age', value: 0.41, reference: 0.02, note: 'PSI 0.41' },
      { name: 'surface=home', value: 120, reference: 1155 },
    ],
    diagnose_command: 'recsysops diagnose 7f3a9c21 --state /var/lib/recsysops',
    ...over,
  });

test('console: the firing line, then the band, the hygiene, the contributors and the dashboard', () => {
  expect(formatConsoleLine(explained(), false).split('\n')).toEqual([
    '🔥 FIRING critical volume-impressions{surface=home} value=120 expected 800–1300 · issue 7f3a9c21 · recsysops diagnose 7f3a9c21 --state /var/lib/recsysops',
    '    band: median − 5·1.4826·MAD of the last 12 values (median 1155, MAD 100) — detector robust-zscore {"window":12,"threshold":5,"direction":"down"}',
    '    baseline excludes 2 values of this incident since 2024-05-01T10:10:00.000Z (judged, not learned)',
    '    top: feature=user_age 0.41 (reference 0.02; PSI 0.41); surface=home 120 (reference 1155)',
    '    dashboard: http://grafana.local/d/recsysops?var-check=volume-impressions',
  ]);
  // a resolution stays one line
  expect(formatConsoleLine(explained({ status: 'resolved' }), false).split('\n')).toHaveLength(1);
});

test('email: how the band was computed, the contributors, and the false-alarm command among the steps', () => {
  const { text, html } = renderEmail([explained()]);
  expect(text).toContain('  How computed    median − 5·1.4826·MAD of the last 12 values (median 1155, MAD 100) — detector robust-zscore {"window":12,"threshold":5,"direction":"down"}');
  expect(text).toContain('  Baseline        baseline excludes 2 values of this incident since 2024-05-01T10:10:00.000Z (judged, not learned)');
  expect(text).toContain('  Top contributors feature=user_age 0.41 (reference 0.02; PSI 0.41)\n                  surface=home 120 (reference 1155)');
  expect(text).toContain('recsysops diagnose 7f3a9c21 --state /var/lib/recsysops');
  expect(text).toContain('recsysops issues mark 7f3a9c21 false-alarm --note "why" --state /var/lib/recsysops');
  expect(html).toContain('<td style="padding:2px 12px 2px 0;vertical-align:top;color:#555">Top contributors</td><td>feature=user_age 0.41 (reference 0.02; PSI 0.41)</td>');
});

test('email of a false-alarm resolution says who marked it and why', () => {
  const { text } = renderEmail([explained({ status: 'resolved', false_alarm: { by: 'alice', at: '2024-05-01T10:20:00.000Z', note: 'planned backfill' } })]);
  expect(text).toContain('  False alarm     marked by alice at 2024-05-01T10:20:00.000Z: planned backfill');
});

test('Alertmanager: the explanation, the baseline and the contributors are annotations', () => {
  const am = toAmAlert(explained(), undefined);
  expect(am.annotations).toMatchObject({
    baseline: 'median − 5·1.4826·MAD of the last 12 values (median 1155, MAD 100) — detector robust-zscore {"window":12,"threshold":5,"direction":"down"}',
    baseline_excludes: 'baseline excludes 2 values of this incident since 2024-05-01T10:10:00.000Z (judged, not learned)',
    explanation: expect.stringMatching(/^Observed 120, expected ≥ 413\.7\. Band: /),
    evidence: 'feature=user_age 0.41 (reference 0.02; PSI 0.41)\nsurface=home 120 (reference 1155)',
    diagnose: 'recsysops diagnose 7f3a9c21 --state /var/lib/recsysops',
    dashboard_url: 'http://grafana.local/d/recsysops?var-check=volume-impressions',
  });
  // a record without an explanation (an older daemon's outbox) gets none of them
  expect(toAmAlert(alert(), undefined).annotations).not.toHaveProperty('explanation');
});
