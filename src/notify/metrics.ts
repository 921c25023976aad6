import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** NotifyMetrics: what the notify stage exports on /metrics. */
export interface NotifyMetrics {
  /** alert records per final outcome: sent, or failed (dropped after a non-retriable error) */
  notifications: Counter<'notifier' | 'status'>;
  /** failed delivery attempts by reason, retried ones included: the outage signal */
  failures: Counter<'notifier' | 'reason'>;
  /** alert records waiting for delivery */
  queueLength: Gauge<'notifier'>;
  /** duration of each delivery attempt */
  deliveryDuration: Histogram<'notifier'>;
}

/**
 * createNotifyMetrics registers the notify metrics on the injected registry (never the global
 * default, so two pipelines in one test process do not collide).
 */
export function createNotifyMetrics(registry: Registry): NotifyMetrics {
  const registers = [registry];
  return {
    notifications: new Counter({
      name: 'recsysops_notifications_total',
      help: 'Alert records handled by a notifier, by outcome: sent, or failed (dropped after a non-retriable error).',
      labelNames: ['notifier', 'status'] as const,
      registers,
    }),
    failures: new Counter({
      name: 'recsysops_notifier_failures_total',
      help: 'Failed delivery attempts of a notifier by reason (client_error, server_error, timeout, rate_limited, connection, auth, other); retried attempts included.',
      labelNames: ['notifier', 'reason'] as const,
      registers,
    }),
    queueLength: new Gauge({
      name: 'recsysops_notifier_queue_length',
      help: 'Alert records waiting to be delivered by a notifier (grows during a receiver outage).',
      labelNames: ['notifier'] as const,
      registers,
    }),
    deliveryDuration: new Histogram({
      name: 'recsysops_notifier_delivery_duration_seconds',
      help: 'Duration of one delivery attempt of a notifier, successful or not.',
      labelNames: ['notifier'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}
