import { z } from 'zod';
import { Kafka, logLevel, type Consumer, type KafkaConfig, type Producer, type SASLOptions, type LogEntry, type IHeaders } from 'kafkajs';
import type { EventSink, RawRecord, Source, SourceDeps, SourcePlugin } from './source';
import type { Logger } from '../telemetry/logger';
import { envNameSchema, readSecretEnv } from '../notify/integrations/secret-env';
import { EVENT_TYPES } from '../events/contract';
import { createKafkaMetrics, type KafkaMetrics } from './kafka-metrics';

const topicEntry = z.union([
  z.string().min(1),
  z.strictObject({
    /** a topic that carries one event type; messages without a `type` field get this one */
    topic: z.string().min(1),
    type: z.enum(EVENT_TYPES as unknown as [string, ...string[]]),
  }),
], { error: `expected a topic name, or {topic, type} with type one of ${EVENT_TYPES.join(', ')}` });

const schema = z.strictObject({
  /** bootstrap brokers, `host:port` */
  brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1),
  client_id: z.string().default('recsysops'),
  /** the consumer group: daemons with the same group_id split the partitions */
  group_id: z.string().default('recsysops'),
  /** one mixed topic whose messages carry `type`, or one topic per event type ({topic, type}) */
  topics: z.array(topicEntry).min(1),
  /** where a group with no committed offset starts: the earliest message (true) or new ones only */
  from_beginning: z.boolean().default(false),
  sasl: z
    .strictObject({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string(),
      password_env: envNameSchema,
    })
    .optional(),
  ssl: z.boolean().default(false),
  /** bytes one fetch may return (across partitions): bounds what is buffered while the checks work */
  max_batch_bytes: z.number().int().positive().default(4 * 1024 * 1024),
  /** bytes fetched per partition at once (a larger single message is still delivered) */
  max_message_bytes: z.number().int().positive().default(1024 * 1024),
  /** rejected messages go here with their original bytes and headers x-recsysops-reason, x-recsysops-origin */
  dead_letter_topic: z.string().min(1).optional(),
  /** how often committed offsets follow windows that closed by the clock */
  commit_interval: z.number().int().positive().default(2000),
  session_timeout_ms: z.number().int().positive().default(30_000),
});
export type KafkaSourceConfig = z.infer<typeof schema>;

/** Prefix of `{"type":"…",` injected into messages of a typed topic; a message's own `type` wins (JSON keeps the last key). */
function typedPayload(value: Buffer, type: string): Buffer {
  let i = 0;
  while (i < value.length && (value[i] === 0x20 || value[i] === 0x0a || value[i] === 0x0d || value[i] === 0x09)) i++;
  if (value[i] !== 0x7b /* { */) return value;
  let j = i + 1;
  while (j < value.length && (value[j] === 0x20 || value[j] === 0x0a || value[j] === 0x0d || value[j] === 0x09)) j++;
  const head = Buffer.from(value[j] === 0x7d /* } */ ? `{"type":${JSON.stringify(type)}` : `{"type":${JSON.stringify(type)},`);
  return Buffer.concat([head, value.subarray(i + 1)]);
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * KafkaSource consumes the event topics with a kafkajs consumer group (`eachBatch`), pushes each
 * batch into the window engine and awaits it (backpressure: nothing more is fetched meanwhile), and
 * commits per partition only the low-water mark the engine reports (EventSink.resumeOffset): the
 * oldest event still in an open window. Messages it already pushed in this process are never pushed
 * again, even when a rebalance or a broker restart makes kafkajs fetch them a second time.
 */
export class KafkaSource implements Source {
  readonly kind = 'kafka';
  readonly live = true;
  readonly resumable = true;
  private readonly typeOf = new Map<string, string>();
  private readonly topics: string[];
  private readonly metrics?: KafkaMetrics;
  private readonly log: Logger;
  /** per partition key `topic/partition`: one past the newest offset pushed by this process */
  private readonly pushed = new Map<string, number>();
  /** per partition key: the offset last committed */
  private readonly committed = new Map<string, number>();
  private assigned = new Set<string>();
  private consumer?: Consumer;
  private committing?: Promise<void>;
  private producer?: Producer;

  constructor(
    readonly name: string,
    private readonly c: KafkaSourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.log = deps.logger.child({ source: name });
    this.topics = c.topics.map((t) => {
      if (typeof t === 'string') return t;
      this.typeOf.set(t.topic, t.type);
      return t.topic;
    });
    if (deps.registry) this.metrics = createKafkaMetrics(deps.registry);
  }

  private client(): Kafka {
    const cfg: KafkaConfig = {
      clientId: this.c.client_id,
      brokers: this.c.brokers,
      ssl: this.c.ssl,
      connectionTimeout: 3000,
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...rest } = entry.log;
        const fields = { kafkajs: entry.namespace, broker: rest.broker, error: rest.error };
        if (entry.level <= logLevel.ERROR) this.log.warn(`kafka: ${message}`, fields);
        else this.log.debug(`kafka: ${message}`, fields);
      },
    };
    if (this.c.sasl) {
      const password = readSecretEnv(this.deps.env, this.c.sasl.password_env, this.name, 'sasl.password_env');
      cfg.sasl = { mechanism: this.c.sasl.mechanism, username: this.c.sasl.username, password } as SASLOptions;
    }
    return new Kafka(cfg);
  }

  async run(sink: EventSink, signal: AbortSignal): Promise<void> {
    const kafka = this.client();
    let failures = 0;
    while (!signal.aborted) {
      const consumer = kafka.consumer({
        groupId: this.c.group_id,
        maxBytes: this.c.max_batch_bytes,
        maxBytesPerPartition: this.c.max_message_bytes,
        sessionTimeout: this.c.session_timeout_ms,
        rebalanceTimeout: this.c.session_timeout_ms * 2,
        allowAutoTopicCreation: false,
        // kafkajs would restart a crashed consumer on a timer of its own, which can fire after
        // disconnect(); the loop below recreates it instead, with backoff, and stops cleanly.
        retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8, restartOnFailure: async () => false },
      });
      this.consumer = consumer;
      const crashed = new Promise<unknown>((resolve) => {
        consumer.on(consumer.events.CRASH, (e) => {
          if (!e.payload.restart) resolve(e.payload.error);
          else this.log.warn('kafka consumer restarting after an error', { error: e.payload.error });
        });
        consumer.on(consumer.events.GROUP_JOIN, (e) => {
          const now = new Set(Object.entries(e.payload.memberAssignment).flatMap(([t, ps]) => ps.map((p) => `${t}/${p}`)));
          // partitions that moved to another daemon: their lag is that daemon's to report now
          for (const key of this.assigned) {
            if (now.has(key)) continue;
            const slash = key.lastIndexOf('/');
            this.metrics?.lag.remove({ topic: key.slice(0, slash), partition: key.slice(slash + 1) });
          }
          this.assigned = now;
          this.metrics?.assigned.set({ source: this.name }, this.assigned.size);
          this.log.info('kafka partitions assigned', { group: this.c.group_id, partitions: [...this.assigned].sort().join(',') || '(none)' });
        });
      });
      const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      const commitTimer = setInterval(() => void this.commit(sink), this.c.commit_interval);
      try {
        if (this.c.dead_letter_topic && !this.producer) {
          const p = kafka.producer({ allowAutoTopicCreation: true });
          await untilAborted(p.connect(), signal);
          this.producer = p;
        }
        await untilAborted(consumer.connect(), signal);
        await untilAborted(consumer.subscribe({ topics: this.topics, fromBeginning: this.c.from_beginning }), signal);
        await untilAborted(consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            if (!isRunning() || isStale() || !batch.messages.length) return;
            await this.consumeBatch(sink, batch.topic, batch.partition, batch.messages, batch.highWatermark);
            resolveOffset(batch.messages[batch.messages.length - 1].offset);
            await heartbeat();
          },
        }), signal);
        this.metrics?.up.set({ source: this.name }, 1);
        if (failures) this.log.info('kafka consumer reconnected', { source: this.name });
        failures = 0;
        const error = await Promise.race([crashed, aborted]);
        if (!signal.aborted) throw error ?? new Error('kafka consumer stopped');
      } catch (err) {
        this.metrics?.up.set({ source: this.name }, 0);
        this.metrics?.errors.inc({ source: this.name });
        if (signal.aborted) break;
        failures++;
        const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(failures, 8)) * (0.5 + Math.random() / 2);
        this.log.warn('kafka consumer failed; reconnecting', { error: err, retry_in_ms: Math.round(delay), attempt: failures });
        await bounded(consumer.disconnect().catch(() => undefined), SHUTDOWN_STEP_MS);
        await sleep(delay, signal);
        continue;
      } finally {
        clearInterval(commitTimer);
      }
      break;
    }
    // A clean stop: commit what is final, then leave the group so the partitions move at once. Both
    // are bounded: a broker that is away must not keep the daemon from stopping (what is not
    // committed is re-read and skipped or re-counted by the next start, see docs/kafka.md).
    await bounded(this.commit(sink), SHUTDOWN_STEP_MS);
    await bounded(this.consumer?.disconnect().catch(() => undefined), SHUTDOWN_STEP_MS);
    await bounded(this.producer?.disconnect().catch(() => undefined), SHUTDOWN_STEP_MS);
    this.metrics?.up.set({ source: this.name }, 0);
  }

  private async consumeBatch(
    sink: EventSink,
    topic: string,
    partition: number,
    messages: Array<{ offset: string; value: Buffer | null; key: Buffer | null; headers?: IHeaders }>,
    highWatermark: string,
  ): Promise<void> {
    const key = `${topic}/${partition}`;
    const from = this.pushed.get(key) ?? -1;
    const type = this.typeOf.get(topic);
    const records: RawRecord[] = [];
    const sources: typeof messages = [];
    for (const m of messages) {
      const offset = Number(m.offset);
      if (offset < from) continue; // already pushed by this process (a re-fetch after a rebalance or reconnect)
      const value = m.value ?? Buffer.alloc(0);
      records.push({ payload: type ? typedPayload(value, type) : value, origin: `${key}@${m.offset}`, position: { partition: key, offset } });
      sources.push(m);
    }
    const last = Number(messages[messages.length - 1].offset);
    this.metrics?.lag.set({ topic, partition: String(partition) }, Math.max(0, Number(highWatermark) - last - 1));
    if (!records.length) return;
    const result = await sink.push(records);
    this.pushed.set(key, last + 1);
    this.metrics?.messages.inc({ topic }, records.length);
    if (result && result.rejected.length && this.c.dead_letter_topic && this.producer) {
      try {
        await this.producer.send({
          topic: this.c.dead_letter_topic,
          messages: result.rejected.map(({ index, reason }) => ({
            key: sources[index].key,
            value: sources[index].value,
            headers: { ...(sources[index].headers ?? {}), 'x-recsysops-reason': reason, 'x-recsysops-origin': records[index].origin },
          })),
        });
        this.metrics?.deadLettered.inc({ status: 'sent' }, result.rejected.length);
      } catch (err) {
        // never stall the partition on the dead-letter topic: the rejection is counted either way
        this.metrics?.deadLettered.inc({ status: 'failed' }, result.rejected.length);
        this.log.warn('dead-letter write failed; messages dropped', { topic: this.c.dead_letter_topic, count: result.rejected.length, error: err });
      }
    }
    // offsets are committed by the commit_interval timer and at stop, not per batch (a round trip
    // each): a crash re-reads at most that much more, which the engine skips or counts once
  }

  /** commit commits, per assigned partition, the engine's low-water mark when it moved forward. */
  private async commit(sink: EventSink): Promise<void> {
    if (this.committing) return this.committing;
    this.committing = this.commitOnce(sink).finally(() => (this.committing = undefined));
    return this.committing;
  }

  private async commitOnce(sink: EventSink): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || !sink.resumeOffset) return;
    const offsets: Array<{ topic: string; partition: number; offset: string }> = [];
    for (const key of this.assigned) {
      const at = sink.resumeOffset(key);
      if (at === undefined || at <= (this.committed.get(key) ?? -1)) continue;
      const slash = key.lastIndexOf('/');
      offsets.push({ topic: key.slice(0, slash), partition: Number(key.slice(slash + 1)), offset: String(at) });
    }
    if (!offsets.length) return;
    try {
      await consumer.commitOffsets(offsets);
      for (const o of offsets) this.committed.set(`${o.topic}/${o.partition}`, Number(o.offset));
    } catch (err) {
      this.log.debug('kafka offset commit deferred', { error: err });
    }
  }
}

const SHUTDOWN_STEP_MS = 5000;

class Aborted extends Error {}

/** untilAborted: p, or an Aborted rejection as soon as the daemon stops (kafkajs retries connects for long). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  p.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function bounded(p: Promise<unknown> | undefined, ms: number): Promise<unknown> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise((resolve) => (t = setTimeout(resolve, ms)))]).finally(() => clearTimeout(t));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

export const kafkaSourcePlugin: SourcePlugin<KafkaSourceConfig> = {
  kind: 'kafka',
  description: 'Kafka topics through a consumer group (kafkajs eachBatch); offsets follow the closed windows',
  schema,
  create: (name, config, deps) => new KafkaSource(name, config, deps),
};
