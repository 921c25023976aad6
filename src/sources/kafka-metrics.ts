import { Counter, Gauge, type Registry } from 'prom-client';

const perRegistry = new WeakMap<Registry, KafkaMetrics>();

/** createKafkaMetrics: what the Kafka sources export, on the daemon's registry (one set shared by every Kafka source). */
export function createKafkaMetrics(registry: Registry): KafkaMetrics {
  let m = perRegistry.get(registry);
  if (!m) perRegistry.set(registry, (m = build(registry)));
  return m;
}

function build(registry: Registry) {
  return {
    messages: new Counter({
      name: 'recsysops_kafka_messages_total',
      help: 'Kafka messages handed to the pipeline, by topic (rate() of it is the events per second).',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'recsysops_kafka_consumer_lag',
      help: 'Messages behind the partition end after the last batch, by topic and partition.',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
    }),
    assigned: new Gauge({
      name: 'recsysops_kafka_assigned_partitions',
      help: 'Partitions this daemon holds in its consumer group.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    up: new Gauge({
      name: 'recsysops_kafka_connected',
      help: '1 while the consumer is connected and running, 0 while it reconnects.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'recsysops_kafka_consumer_errors_total',
      help: 'Times the consumer failed (broker gone, topic missing) and was reconnected with backoff.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'recsysops_kafka_dead_letters_total',
      help: 'Rejected messages written to the dead-letter topic (status sent) or not, because writing failed (status failed).',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
  };
}
export type KafkaMetrics = ReturnType<typeof build>;
