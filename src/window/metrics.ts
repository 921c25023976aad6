import { Counter, Gauge, type Registry } from 'prom-client';

/** createWindowMetrics: what the ingest and window stage exports, on the injected registry. */
export function createWindowMetrics(registry: Registry) {
  return {
    consumed: new Counter({
      name: 'recsysops_events_consumed_total',
      help: 'Events accepted into the windows, by event type.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    malformed: new Counter({
      name: 'recsysops_events_malformed_total',
      help: 'Records rejected by the event contract, by reason (invalid_json, missing_field, wrong_type, unknown_type, invalid_timestamp, future_timestamp, oversized, not_object).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    late: new Counter({
      name: 'recsysops_events_late_total',
      help: 'Events that arrived after their window had closed (behind the watermark), by type; counted, not aggregated.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    redelivered: new Counter({
      name: 'recsysops_events_redelivered_total',
      help: 'Events read again after a restart (a replayable source resumes at the oldest open window) whose windows an earlier run had already closed: skipped, not counted twice.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    watermark: new Gauge({
      name: 'recsysops_watermark_timestamp_seconds',
      help: 'Event-time watermark: windows ending before it are closed.',
      registers: [registry],
    }),
    newestEvent: new Gauge({
      name: 'recsysops_newest_event_timestamp_seconds',
      help: 'Event time of the newest event seen.',
      registers: [registry],
    }),
    windowsClosed: new Counter({
      name: 'recsysops_windows_closed_total',
      help: 'Event-time windows closed and evaluated, by check.',
      labelNames: ['check'] as const,
      registers: [registry],
    }),
  };
}
export type WindowMetrics = ReturnType<typeof createWindowMetrics>;
