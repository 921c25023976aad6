import { alertmanagerNotifier, toAmAlert } from '../../src/notify/integrations/alertmanager';
import { alert, captureLogger, webhookReceiver } from './helpers';

const ENGAGEMENT = { name: 'engagement-rate', kind: 'engagement-rate', depends_on: ['impressions-volume'] };

describe('alertmanager notifier', () => {
  test('POSTs API v2 alerts: alertname is the check, with severity, series labels, kind and upstreams', async () => {
    const rx = await webhookReceiver();
    try {
      const notifier = alertmanagerNotifier.create('am', alertmanagerNotifier.schema.parse({ url: rx.url.replace(/\/hook$/, '/') }), {
        logger: captureLogger().logger,
        env: {},
        stateDir: '/nonexistent',
        checks: [ENGAGEMENT],
      });
      await notifier.send([alert({ check: 'engagement-rate', labels: { surface: 'home', model_version: '' } })]);
      const [req] = rx.requests;
      expect(req.headers['content-type']).toBe('application/json');
      const [am] = JSON.parse(req.body);
      expect(am.labels).toEqual({ alertname: 'engagement-rate', severity: 'critical', surface: 'home', check_kind: 'engagement-rate', depends_on: 'impressions-volume' });
      expect(am.annotations).toMatchObject({
        summary: 'impressions on home dropped to 120 per minute (expected 800–1300)',
        issue_id: '7f3a9c21',
        diagnose: 'recsysops diagnose 7f3a9c21',
        runbook_url: 'https://wiki.local/runbooks/volume',
        dashboard_url: 'http://grafana.local/d/recsysops?var-check=volume-impressions',
      });
      expect(am.annotations.description).toContain('observed 120, expected 800–1300');
      expect(am.startsAt).toBe('2024-05-01T10:00:00.000Z');
      expect(am.endsAt).toBeUndefined();
      expect(am.generatorURL).toBe('http://grafana.local/d/recsysops?var-check=volume-impressions');
    } finally {
      await rx.close();
    }
  });

  test('a resolved alert carries endsAt; generatorURL points at the issue when external_url is set', () => {
    const am = toAmAlert(alert({ status: 'resolved', endsAt: '2024-05-01T10:30:00.000Z' }), undefined, 'http://recsysops.local:9464/');
    expect(am.endsAt).toBe('2024-05-01T10:30:00.000Z');
    expect(am.generatorURL).toBe('http://recsysops.local:9464/api/issues/7f3a9c21');
    expect(am.labels.check_kind).toBeUndefined();
  });

  test('record labels cannot override alertname or severity; invalid label names are made valid', () => {
    const am = toAmAlert(alert({ labels: { alertname: 'x', severity: 'info', 'feature.name': 'a' } }), undefined);
    expect(am.labels).toMatchObject({ alertname: 'volume-impressions', severity: 'critical', feature_name: 'a' });
  });

  test('with several Alertmanagers (HA) one accepting is enough', async () => {
    const ok = await webhookReceiver();
    const down = await webhookReceiver(() => 503);
    try {
      const notifier = alertmanagerNotifier.create('am', alertmanagerNotifier.schema.parse({ urls: [down.url, ok.url] }), {
        logger: captureLogger().logger,
        env: {},
        stateDir: '/nonexistent',
      });
      await notifier.send([alert()]);
      expect(ok.accepted()).toHaveLength(1);
      expect(down.requests).toHaveLength(1);
    } finally {
      await ok.close();
      await down.close();
    }
  });

  test('config: exactly one of url and urls; basic auth or bearer token, not both', () => {
    expect(alertmanagerNotifier.schema.safeParse({}).success).toBe(false);
    expect(alertmanagerNotifier.schema.safeParse({ url: 'http://a:9093', urls: ['http://b:9093'] }).success).toBe(false);
    expect(
      alertmanagerNotifier.schema.safeParse({ url: 'http://a:9093', bearer_token_env: 'T', basic_auth: { username: 'u', password_env: 'P' } }).success,
    ).toBe(false);
    expect(alertmanagerNotifier.schema.safeParse({ url: 'http://a:9093', basic_auth: { username: 'u', password: 'p' } }).success).toBe(false);
  });
});

test('times after the wall clock (accelerated or future event time) are clamped to now, so a resolved alert resolves', () => {
  const now = new Date('2024-05-01T10:10:00.000Z');
  const am = toAmAlert(alert({ status: 'resolved', endsAt: '2024-05-01T11:00:00.000Z' }), undefined, undefined, now);
  expect(am.startsAt).toBe('2024-05-01T10:00:00.000Z');
  expect(am.endsAt).toBe('2024-05-01T10:10:00.000Z');
});
