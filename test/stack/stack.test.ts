/**
 * The monitoring stack against its real parts, on loopback: the compiled daemon runs the demo world
 * (plus a file of malformed events and a webhook to a closed port, so the ingest-error and
 * notifier-failure series exist too) and pushes to a real Alertmanager (Debian
 * `prometheus-alertmanager`) loaded with the committed, generated dashboards/alertmanager/alertmanager.yml;
 * a real Prometheus (Debian `prometheus`) scrapes the daemon every second, loads the committed rules
 * and alerts to the same Alertmanager. Then every PromQL expression of every dashboard panel and every
 * rule is run through Prometheus's HTTP API, and Alertmanager's API v2 shows the downstream alert
 * inhibited while its upstream fires. scripts/test-deps/prometheus.sh installs the packages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli';
import { freePort, smtpReceiver } from '../notify/helpers';
import { decodeWords, parseMessage } from '../notify/mime';
import { startAlertmanager, startDaemon, startPrometheus, waitUntil, type Started } from './processes';

jest.setTimeout(170_000);

const RULES_DIR = join(ROOT, 'dashboards', 'prometheus', 'rules');
const DASHBOARD_DIR = join(ROOT, 'dashboards', 'grafana', 'json');
const AM_CONFIG = join(ROOT, 'dashboards', 'alertmanager', 'alertmanager.yml');

/** Template variables as Grafana substitutes them with "All" selected and a 1-minute rate interval. */
const VARIABLES: Record<string, string> = {
  $__rate_interval: '1m',
  $__interval: '15s',
  $__range: '5m',
  $check: '.*',
  $surface: '.*',
  $model_version: '.*',
  $cohort: '.*',
  $feature: '.*',
  $notifier: '.*',
};

function substitute(expr: string): string {
  return Object.keys(VARIABLES)
    .sort((a, b) => b.length - a.length)
    .reduce((e, k) => e.split(k).join(VARIABLES[k]).split(`\${${k.slice(1)}}`).join(VARIABLES[k]), expr);
}

/** walk yields every object nested in value. */
function* walk(value: unknown): Generator<any> {
  if (value === null || typeof value !== 'object') return;
  yield value;
  for (const child of Array.isArray(value) ? value : Object.values(value)) yield* walk(child);
}

interface Query {
  where: string;
  expr: string;
}

function dashboardQueries(): Query[] {
  const out: Query[] = [];
  for (const f of readdirSync(DASHBOARD_DIR).filter((x) => x.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(DASHBOARD_DIR, f), 'utf8'));
    for (const p of [...walk(d.panels)].filter((o) => !Array.isArray(o) && o.gridPos && o.type !== 'row')) {
      for (const t of p.targets ?? []) out.push({ where: `${f} panel ${p.id} "${p.title}" ${t.refId}`, expr: substitute(t.expr) });
    }
    for (const a of d.annotations?.list ?? []) if (a.expr) out.push({ where: `${f} annotation "${a.name}"`, expr: substitute(a.expr) });
    for (const v of d.templating?.list ?? []) {
      const m = /^label_values\((.+),\s*\w+\)$/.exec(v.definition ?? '');
      if (m) out.push({ where: `${f} variable $${v.name}`, expr: m[1] });
    }
  }
  return out;
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}

function rules(): Array<Rule & { file: string }> {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) => parse(readFileSync(join(RULES_DIR, f), 'utf8')).groups.flatMap((g: { rules: Rule[] }) => g.rules.map((r) => ({ ...r, file: f }))));
}

/** selectors: the vector selectors an expression reads (metric name plus its label matchers). */
function selectors(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b(recsysops_[a-z0-9_]+|up)(\{[^}]*\})?/g)].map((m) => m[0]))];
}

async function instant(prom: Started, expr: string): Promise<{ status: string; error?: string; result: unknown[] }> {
  const res = await fetch(`${prom.url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  return { status: body.status, error: body.error, result: body.data?.result ?? [] };
}

function impression(ts: number): string {
  return JSON.stringify({ type: 'impression', ts, request_id: 'r-stack', user_id: 'u-stack', item_id: 'i-stack', position: 0, score: 0.5, model_version: 'v1', surface: 'stack-test' });
}

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

async function amAlerts(am: Started): Promise<AmAlert[]> {
  return (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as AmAlert[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the monitoring stack, against a real Prometheus and Alertmanager', () => {
  let am: Started | undefined;
  let daemon: Started | undefined;
  let prom: Started | undefined;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>> | undefined;

  beforeAll(async () => {
    am = await startAlertmanager(AM_CONFIG);
    smtp = await smtpReceiver();
    const closedPort = await freePort();
    daemon = await startDaemon(
      {
        // four records that break the event contract (invalid_json, not_object, unknown_type,
        // missing_field), then an impression a few minutes ahead that moves the watermark and one a
        // day behind it, which is late (recsysops_events_late_total)
        'malformed.ndjson': [
          '{"type":"impression"}',
          'not json',
          '[1]',
          '{"type":"nope","ts":1}',
          impression(Date.now() + 10 * 60_000),
          impression(Date.now() - 86_400_000),
          '',
        ].join('\n'),
        'recsysops.yaml': [
          'sources:',
          '  - name: demo',
          '    kind: demo',
          // the world's morning, whatever the hour CI runs at: the volume drop at +3h must not fall
          // into the evening decline, where a 2-hour baseline is at its widest (after the file's events)
          `    start: ${new Date(Math.ceil(Date.now() / DAY) * DAY + DAY + 6 * HOUR).toISOString()}`,
          '    faults:                      # the upstream volume drop covers the downstream engagement drop',
          '      - {kind: starved-item, at: 1h, duration: 7d}',
          '      - {kind: volume-drop, at: 3h, duration: 12h}', // long enough to outlast every test below
          '      - {kind: bad-model, at: 4h, duration: 2h}',
          '  - name: malformed',
          '    kind: ndjson',
          '    paths: [malformed.ndjson]',
          'notifiers:',
          '  - name: alerts-file',
          '    kind: file',
          '  - name: team-alertmanager',
          '    kind: alertmanager',
          `    url: ${am.url}`,
          '  - name: oncall-email',
          '    kind: email',
          '    host: 127.0.0.1',
          `    port: ${smtp.port}`,
          '    from: recsysops@example.com',
          '    to: [oncall@example.com]',
          '  - name: broken-hook            # nothing listens: recsysops_notifier_failures_total',
          '    kind: webhook',
          `    url: http://127.0.0.1:${closedPort}/hook`,
          '    timeout_ms: 1000',
          'links:',
          '  dashboard_url: http://grafana.test/d/{dashboard}?var-check={check}',
          '  runbook_url: https://runbooks.test/recsysops',
          '',
        ].join('\n'),
      },
      ['-c', 'recsysops.yaml', '--checks', join(ROOT, 'checks')],
    );
    const target = `127.0.0.1:${daemon.port}`;
    const amTarget = `127.0.0.1:${am.port}`;
    prom = await startPrometheus(
      () => `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - ${JSON.stringify(join(RULES_DIR, '*.yml'))}
alerting:
  alertmanagers:
    - static_configs:
        - targets: [${JSON.stringify(amTarget)}]
scrape_configs:
  - job_name: recsysops
    static_configs:
      - targets: [${JSON.stringify(target)}]
`,
    );
  });

  afterAll(async () => {
    for (const s of [prom, daemon, am]) await s?.stop();
    await smtp?.close();
  });

  test('Prometheus scrapes the daemon', async () => {
    const up = await waitUntil('up{job="recsysops"} == 1', async () => ((await instant(prom!, 'up{job="recsysops"} == 1')).result.length ? true : undefined), 30_000);
    expect(up).toBe(true);
  });

  test('every dashboard panel, annotation and variable query returns data, without a query error', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(10);
    // Series appear as the demo runs (alerts fire after ~20 s, the "fired" annotation shows only
    // within a minute of a firing): poll until every query has returned data at least once.
    const problems = new Map<string, string>(queries.map((q) => [q.where, 'no data']));
    await waitUntil(
      'every dashboard query has data',
      async () => {
        for (const q of queries.filter((x) => problems.has(x.where))) {
          const r = await instant(prom!, q.expr);
          if (r.status !== 'success') problems.set(q.where, `error: ${r.error}`);
          else if (r.result.length > 0) problems.delete(q.where);
        }
        return problems.size === 0 ? true : undefined;
      },
      90_000,
      1000,
    ).catch(() => undefined);
    const failing = queries.filter((q) => problems.has(q.where)).map((q) => ({ ...q, problem: problems.get(q.where) }));
    expect(failing).toEqual([]);
  });

  test('every rule expression evaluates, and every series it reads exists', async () => {
    const all = rules();
    expect(all.length).toBeGreaterThan(3);
    let failing: Array<{ rule: string; expr: string; problem: string }> = [];
    await waitUntil(
      'every rule selector has data',
      async () => {
        failing = [];
        for (const r of all) {
          const name = `${r.file}: ${r.alert ?? r.record}`;
          const whole = await instant(prom!, r.expr);
          if (whole.status !== 'success') failing.push({ rule: name, expr: r.expr, problem: `error: ${whole.error}` });
          for (const s of selectors(r.expr)) {
            const sel = await instant(prom!, s);
            if (sel.result.length === 0) failing.push({ rule: name, expr: s, problem: 'no series' });
          }
        }
        return failing.length === 0 ? true : undefined;
      },
      60_000,
      2000,
    ).catch(() => undefined);
    expect(failing).toEqual([]);
  });

  test("Alertmanager receives the daemon's alerts and holds back engagement-rate while impressions-volume fires", async () => {
    const seen = await waitUntil(
      'engagement-rate and impressions-volume both active in Alertmanager',
      async () => {
        const alerts = await amAlerts(am!);
        const up = alerts.find((a) => a.labels.alertname === 'impressions-volume' && a.status.state === 'active');
        const down = alerts.find((a) => a.labels.alertname === 'engagement-rate');
        return up && down ? { up, down } : undefined;
      },
      90_000,
    );
    expect(seen.up.labels).toMatchObject({ severity: 'critical', surface: 'home', event_type: 'impression', team: 'recsys-data' });
    expect(seen.down.status.state).toBe('suppressed');
    expect(seen.down.status.inhibitedBy.length).toBeGreaterThan(0);
    // the API's filter agrees: the engagement-rate alert is only listed when inhibited alerts are asked for
    const hidden = (await (await fetch(`${am!.url}/api/v2/alerts?inhibited=false&filter=${encodeURIComponent('alertname="engagement-rate"')}`)).json()) as AmAlert[];
    expect(hidden).toEqual([]);
  });

  test('Prometheus evaluates the committed rules and alerts to the same Alertmanager', async () => {
    const fromProm = await waitUntil(
      'RecsysopsCheckFiring in Alertmanager',
      async () => (await amAlerts(am!)).find((a) => a.labels.alertname === 'RecsysopsCheckFiring'),
      60_000,
    );
    expect(fromProm.labels.check).toEqual(expect.any(String));
  });

  test('the alert email reads well: severity and check in the subject, a link to the panel of its check, the runbook, the diagnose command', async () => {
    const raw = await waitUntil('an impressions-volume email', async () => smtp!.messages.find((m) => m.includes('impressions-volume')), 60_000);
    const msg = parseMessage(raw);
    expect(decodeWords(msg.headers.subject)).toMatch(/^\[FIRING:critical\] (impressions-volume — impressions-volume \{.*surface=home.*\}|\d+ alerts: impressions-volume and \d+ more)/);
    const text = msg.parts.find((p) => p.headers['content-type'].startsWith('text/plain'))!.body;
    const html = msg.parts.find((p) => p.headers['content-type'].startsWith('text/html'))!.body;
    // the volume check's panel is on the data dashboard, with the check selected
    expect(text).toContain('http://grafana.test/d/recsysops-data?var-check=impressions-volume');
    expect(html).toContain('href="http://grafana.test/d/recsysops-data?var-check=impressions-volume"');
    expect(text).toContain('https://runbooks.test/recsysops');
    expect(text).toMatch(/recsysops diagnose [0-9a-f]{8}/);
    expect(text).toContain('What to do:');
  });

  test('Alertmanager alerts carry the issue, the diagnose command and the dashboard link as annotations', async () => {
    const alerts = (await (await fetch(`${am!.url}/api/v2/alerts`)).json()) as Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
    const up = alerts.find((a) => a.labels.alertname === 'impressions-volume')!;
    expect(up.annotations).toMatchObject({
      // the daemon's state directory is not the default one, so the command names it
      diagnose: expect.stringMatching(new RegExp(`^recsysops diagnose ${up.annotations.issue_id} --state \\S+/state$`)),
      dashboard_url: 'http://grafana.test/d/recsysops-data?var-check=impressions-volume',
      runbook_url: 'https://runbooks.test/recsysops',
    });
    expect(up.annotations.description).toMatch(/observed .* expected ≥ /);
  });
});
