import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { SERIES_LABELS } from '../check-kinds/kind';

const SERIES = ['check', ...SERIES_LABELS] as const;

/** createEvaluationMetrics: per-check series and alert state, on the injected registry. */
export function createEvaluationMetrics(registry: Registry) {
  const registers = [registry];
  return {
    value: new Gauge({ name: 'recsysops_check_value', help: 'Latest observed value of each check series.', labelNames: SERIES, registers }),
    expectedLower: new Gauge({
      name: 'recsysops_check_expected_lower',
      help: 'Lower edge of the band the detector expected the value in (absent while learning or unbounded).',
      labelNames: SERIES,
      registers,
    }),
    expectedUpper: new Gauge({
      name: 'recsysops_check_expected_upper',
      help: 'Upper edge of the band the detector expected the value in (absent while learning or unbounded).',
      labelNames: SERIES,
      registers,
    }),
    score: new Gauge({ name: 'recsysops_check_anomaly_score', help: 'Anomaly score in [0,1] of each check series.', labelNames: SERIES, registers }),
    status: new Gauge({
      name: 'recsysops_check_status',
      help: 'Alert status of each check series: 0 ok, 1 pending, 2 firing, 3 muted (a mute window); -1 while the detector is still learning.',
      labelNames: SERIES,
      registers,
    }),
    duration: new Histogram({
      name: 'recsysops_check_evaluation_duration_seconds',
      help: 'Time to evaluate one check (one closed window or one cron tick), including opening issues.',
      labelNames: ['check'] as const,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    evaluations: new Counter({ name: 'recsysops_check_evaluations_total', help: 'Check evaluations, by check.', labelNames: ['check'] as const, registers }),
    alerts: new Gauge({ name: 'recsysops_alerts', help: 'Alert instances by state (pending, firing).', labelNames: ['state'] as const, registers }),
    transitions: new Counter({
      name: 'recsysops_alert_transitions_total',
      help: 'Alert state changes, by check and transition (pending, fired, repeat, resolved, cleared).',
      labelNames: ['check', 'transition'] as const,
      registers,
    }),
    muted: new Gauge({
      name: 'recsysops_check_muted',
      help: 'Whether a mute window of the check is active (1) or not (0): values exported, not learned, no alerts.',
      labelNames: ['check'] as const,
      registers,
    }),
    falseAlarms: new Counter({
      name: 'recsysops_false_alarms_total',
      help: 'Alerts resolved because a user marked their issue a false alarm (recsysops issues mark ID false-alarm), by check.',
      labelNames: ['check'] as const,
      registers,
    }),
    issuesOpened: new Counter({ name: 'recsysops_issues_opened_total', help: 'Issues opened by firing alerts, by check.', labelNames: ['check'] as const, registers }),
  };
}
export type EvaluationMetrics = ReturnType<typeof createEvaluationMetrics>;
