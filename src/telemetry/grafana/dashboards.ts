import { alertAnnotations, band, dashboard, row, stat, statusTimeline, timeseries, variable, type Json } from './builder';

/**
 * dashboards: the five Grafana dashboards recsysops ships, generated from the loaded checks (a
 * check's kind decides which dashboard shows it, since the exported series carry the check's name,
 * not its kind). `node dashboards/generate.mjs [--checks DIR]` writes them to
 * dashboards/grafana/json/; a test keeps the committed JSON equal to this output.
 */

export interface CheckRef {
  name: string;
  kind: string;
}

/** DASHBOARD_KINDS: which check kinds each topical dashboard shows. */
export const DASHBOARD_KINDS = {
  data: ['volume', 'freshness', 'duplicate-rate'],
  model: ['engagement-rate', 'feature-quality', 'latency'],
  'cold-start': ['cold-start'],
} as const;

/** dashboardUid: the uid of the dashboard that shows checks of `kind` (the overview for others). */
export function dashboardUid(kind: string): string {
  for (const [topic, kinds] of Object.entries(DASHBOARD_KINDS)) if ((kinds as readonly string[]).includes(kind)) return `recsysops-${topic}`;
  return 'recsysops-overview';
}

/** checkRegex: a PromQL regex matching exactly the named checks; matches nothing when none. */
export function checkRegex(names: readonly string[]): string {
  if (names.length === 0) return '^$';
  return [...names].sort().map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|');
}

const SEL = '{check=~"$check", surface=~"$surface", model_version=~"$model_version"}';

function variables(checks: string): Json[] {
  return [
    variable('check', 'Check', checks === '.*' ? 'label_values(recsysops_check_value, check)' : `label_values(recsysops_check_value{check=~"${checks}"}, check)`),
    variable('surface', 'Surface', 'label_values(recsysops_check_value, surface)'),
    variable('model_version', 'Model version', 'label_values(recsysops_check_value, model_version)'),
  ];
}

function checksSection(title: string): ReturnType<typeof row>[] {
  return [
    row(title),
    statusTimeline('Check status', `max by (check) (recsysops_check_status${SEL})`, '{{check}}', { h: 6 }),
    band(SEL),
    timeseries('Anomaly score', [{ expr: `recsysops_check_anomaly_score${SEL}`, legend: '{{check}} {{surface}} {{model_version}} {{feature}} {{cohort}} {{segment}}' }], {
      description: "The detector's anomaly score in [0, 1]: 0.5 is its threshold; above it the series breaches.",
    }),
  ];
}

function overview(): Json {
  return dashboard({
    uid: 'recsysops-overview',
    title: 'recsysops — overview',
    description: 'recsysops daemon: alerts, check status, each check against its expected band, ingest and notifier health.',
    variables: variables('.*'),
    annotations: alertAnnotations('$check'),
    panels: [
      stat('Firing alerts', 'sum(recsysops_alerts{state="firing"})', {
        description: 'recsysops alert instances currently firing (each also opened an issue: `recsysops issues list`).',
        red: 1,
      }),
      stat('Pending alerts', 'sum(recsysops_alerts{state="pending"})', { description: "Alert instances whose condition holds but whose `for` has not elapsed yet.", orange: 1 }),
      stat('Issues opened (24h)', 'sum(increase(recsysops_issues_opened_total[24h]))', {
        description: 'Issues opened by firing alerts over the last day; list them with `recsysops issues list --status open`.',
        orange: 1,
      }),
      stat('Events/s', 'sum(rate(recsysops_events_consumed_total[5m]))', { description: 'Events accepted per second, all types.', decimals: 1 }),
      statusTimeline('Check status', `max by (check) (recsysops_check_status${SEL})`, '{{check}}'),
      timeseries('Events/s by type', [{ expr: 'sum by (type) (rate(recsysops_events_consumed_total[1m]))', legend: '{{type}}' }], { unit: 'ops' }),
      timeseries('Event-time lag', [{ expr: 'time() - max(recsysops_watermark_timestamp_seconds)', legend: 'watermark lag' }], {
        unit: 's',
        description: 'Wall clock minus the watermark: how far behind the stream recsysops judges. Negative in the accelerated demo.',
      }),
      band(SEL),
      timeseries('Anomaly score', [{ expr: `recsysops_check_anomaly_score${SEL}`, legend: '{{check}} {{surface}} {{model_version}} {{feature}} {{cohort}} {{segment}}' }]),
      timeseries(
        'Malformed and late events/s',
        [
          { expr: 'sum by (reason) (rate(recsysops_events_malformed_total[5m]))', legend: 'malformed: {{reason}}' },
          { expr: 'sum by (type) (rate(recsysops_events_late_total[5m]))', legend: 'late: {{type}}' },
        ],
        { unit: 'ops' },
      ),
      timeseries('Notifier failures', [{ expr: 'sum by (notifier, reason) (rate(recsysops_notifier_failures_total[5m]))', legend: '{{notifier}}: {{reason}}' }], { unit: 'ops' }),
    ],
  });
}

function dataDashboard(checks: string): Json {
  return dashboard({
    uid: 'recsysops-data',
    title: 'recsysops — data volume and freshness',
    description: 'Is the data arriving? Volume and freshness checks against their bands, events by type, malformed and late events, event-time lag.',
    variables: variables(checks),
    annotations: alertAnnotations(checks),
    panels: [
      ...checksSection('Volume and freshness checks'),
      row('Ingest'),
      timeseries('Events/s by type', [{ expr: 'sum by (type) (rate(recsysops_events_consumed_total[1m]))', legend: '{{type}}' }], { unit: 'ops' }),
      timeseries('Malformed events/s by reason', [{ expr: 'sum by (reason) (rate(recsysops_events_malformed_total[5m]))', legend: '{{reason}}' }], {
        unit: 'ops',
        description: 'Records that broke the event contract (recsysops logs a sample of each reason).',
      }),
      timeseries('Late events/s by type', [{ expr: 'sum by (type) (rate(recsysops_events_late_total[5m]))', legend: '{{type}}' }], {
        unit: 'ops',
        description: 'Events behind the watermark (allowed_lateness): not counted in any window.',
      }),
      timeseries(
        'Newest event and watermark, behind the wall clock',
        [
          { expr: 'time() - max(recsysops_newest_event_timestamp_seconds)', legend: 'newest event' },
          { expr: 'time() - max(recsysops_watermark_timestamp_seconds)', legend: 'watermark' },
        ],
        { unit: 's', description: 'A growing gap means the source is behind or stopped (RecsysopsLagging).' },
      ),
    ],
  });
}

function modelDashboard(checks: string): Json {
  return dashboard({
    uid: 'recsysops-model',
    title: 'recsysops — model outputs and metrics',
    description: 'Is the model behaving? Engagement rate, feature quality and serving latency checks against their bands, per model version.',
    variables: variables(checks),
    annotations: alertAnnotations(checks),
    panels: [
      ...checksSection('Model checks'),
      row('By model version and feature'),
      timeseries('Check value by model version', [{ expr: `max by (check, model_version) (recsysops_check_value${SEL})`, legend: '{{check}} {{model_version}}' }], {
        description: 'Checks split by model_version (by: [model_version]) show each version; a new version whose line departs from the old one is the model.',
      }),
      timeseries('Feature quality by feature', [{ expr: `max by (feature, measure) (recsysops_check_value{check=~"$check", feature!=""})`, legend: '{{feature}} {{measure}}' }], {
        unit: 'percentunit',
        description: 'Null and zero rates per serving feature (feature-quality checks).',
      }),
      timeseries('Serving events/s', [{ expr: 'sum(rate(recsysops_events_consumed_total{type="serving"}[1m]))', legend: 'serving' }], { unit: 'ops' }),
    ],
  });
}

function coldStartDashboard(checks: string): Json {
  return dashboard({
    uid: 'recsysops-cold-start',
    title: 'recsysops — item cold-start health',
    description: 'Do new items get exposure? New items still without an impression after their grace period, against the launches and impressions.',
    variables: variables(checks),
    annotations: alertAnnotations(checks),
    panels: [
      ...checksSection('Cold-start checks'),
      row('Launches and exposure'),
      timeseries('New items starved (value of each cold-start check)', [{ expr: `max by (check, cohort) (recsysops_check_value{check=~"$check"})`, legend: '{{check}} {{cohort}}' }], {
        description: 'Items launched more than `grace` ago with no impression yet. The alert names them; `recsysops issues show <id>` lists them.',
      }),
      timeseries(
        'Item launches and impressions/s',
        [
          { expr: 'sum(rate(recsysops_events_consumed_total{type="item"}[5m]))', legend: 'item events' },
          { expr: 'sum(rate(recsysops_events_consumed_total{type="impression"}[5m]))', legend: 'impressions' },
        ],
        { unit: 'ops' },
      ),
    ],
  });
}

function daemonDashboard(): Json {
  return dashboard({
    uid: 'recsysops-daemon',
    title: 'recsysops — the daemon',
    description: 'Is recsysops itself healthy? Scrape status, configuration, evaluation cost, notifier deliveries and queues, process resources.',
    variables: variables('.*'),
    annotations: alertAnnotations('.*'),
    panels: [
      stat('Up', 'min(up{job="recsysops"})', { description: 'Prometheus can scrape recsysops (1) or not (0: RecsysopsDown).', decimals: 0 }),
      stat('Config loaded', 'min(recsysops_config_last_reload_successful)', { description: '1 when the last configuration load succeeded.' }),
      stat('Checks loaded', 'sum(recsysops_checks_loaded)', { description: 'Checks running, all kinds.' }),
      stat('Notifier queue', 'sum(recsysops_notifier_queue_length)', { description: 'Alerts waiting for delivery, all notifiers (kept in the outbox).', orange: 1, red: 50 }),
      timeseries('Notifications/s', [{ expr: 'sum by (notifier, status) (rate(recsysops_notifications_total[5m]))', legend: '{{notifier}} {{status}}' }], { unit: 'ops' }),
      timeseries('Notifier failures/s by reason', [{ expr: 'sum by (notifier, reason) (rate(recsysops_notifier_failures_total[5m]))', legend: '{{notifier}}: {{reason}}' }], { unit: 'ops' }),
      timeseries('Notifier queue length', [{ expr: 'max by (notifier) (recsysops_notifier_queue_length)', legend: '{{notifier}}' }]),
      timeseries(
        'Notifier delivery duration p99',
        [{ expr: 'histogram_quantile(0.99, sum by (le, notifier) (rate(recsysops_notifier_delivery_duration_seconds_bucket[5m])))', legend: '{{notifier}}' }],
        { unit: 's' },
      ),
      timeseries(
        'Check evaluation duration p99',
        [{ expr: 'histogram_quantile(0.99, sum by (le, check) (rate(recsysops_check_evaluation_duration_seconds_bucket[5m])))', legend: '{{check}}' }],
        { unit: 's' },
      ),
      timeseries(
        'Evaluations and windows closed/s',
        [
          { expr: 'sum by (check) (rate(recsysops_check_evaluations_total[5m]))', legend: 'evaluations {{check}}' },
          { expr: 'sum by (check) (rate(recsysops_windows_closed_total[5m]))', legend: 'windows {{check}}' },
        ],
        { unit: 'ops' },
      ),
      timeseries(
        'Alert transitions/s',
        [{ expr: 'sum by (transition) (rate(recsysops_alert_transitions_total[5m]))', legend: '{{transition}}' }],
        { unit: 'ops', description: 'pending, fired, repeat, resolved, cleared' },
      ),
      timeseries(
        'Process memory and CPU',
        [
          { expr: 'max(process_resident_memory_bytes{job="recsysops"})', legend: 'resident memory' },
          { expr: 'max(rate(process_cpu_seconds_total{job="recsysops"}[5m]))', legend: 'CPU (cores)' },
        ],
        { description: 'The daemon process (prom-client default metrics).' },
      ),
    ],
  });
}

/** generateDashboards returns file name → dashboard JSON text, for the given checks. */
export function generateDashboards(checks: readonly CheckRef[]): Record<string, string> {
  const of = (kinds: readonly string[]): string => checkRegex(checks.filter((c) => kinds.includes(c.kind)).map((c) => c.name));
  const out: Record<string, Json> = {
    'recsysops-overview.json': overview(),
    'recsysops-data.json': dataDashboard(of(DASHBOARD_KINDS.data)),
    'recsysops-model.json': modelDashboard(of(DASHBOARD_KINDS.model)),
    'recsysops-cold-start.json': coldStartDashboard(of(DASHBOARD_KINDS['cold-start'])),
    'recsysops-daemon.json': daemonDashboard(),
  };
  return Object.fromEntries(Object.entries(out).map(([f, d]) => [f, `${JSON.stringify(d, null, 2)}\n`]));
}
