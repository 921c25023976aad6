/**
 * The committed Prometheus rules, through the real promtool (Debian package `prometheus`, installed by
 * scripts/test-deps/prometheus.sh): they parse, and their unit tests in dashboards/prometheus/tests/
 * (which alert fires, with which labels and annotations, when) pass.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';

const rel = (dir: string, ext: RegExp): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => ext.test(f))
    .map((f) => join(dir, f));

function promtool(args: string[]): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, output: r.stdout + r.stderr };
}

test('promtool check rules accepts every rules file', () => {
  const files = rel('dashboards/prometheus/rules', /\.yml$/);
  expect(files.length).toBeGreaterThan(1);
  expect(promtool(['check', 'rules', ...files])).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
});

test('promtool test rules passes the rules unit tests, which cover every alert', () => {
  const tests = rel('dashboards/prometheus/tests', /\.ya?ml$/);
  expect(tests.length).toBeGreaterThan(0);
  const r = promtool(['test', 'rules', ...tests]);
  expect(r).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  // every alert of every rules file is exercised by at least one test case
  const alerts = rel('dashboards/prometheus/rules', /\.yml$/).flatMap((f) =>
    parse(readFileSync(join(ROOT, f), 'utf8')).groups.flatMap((g: { rules: Array<{ alert?: string }> }) => g.rules.map((x) => x.alert).filter(Boolean)),
  );
  const tested = new Set(
    tests.flatMap((f) => parse(readFileSync(join(ROOT, f), 'utf8')).tests.flatMap((t: { alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }) => (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname))),
  );
  expect(alerts.filter((a) => !tested.has(a))).toEqual([]);
});

test('promtool check config accepts the compose Prometheus config (rules and Alertmanager target)', () => {
  const r = promtool(['check', 'config', '--syntax-only', 'dashboards/prometheus/prometheus.yml']);
  expect(r).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
});
